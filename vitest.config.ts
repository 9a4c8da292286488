import { configDefaults, defineConfig } from 'vitest/config';
import { INTEGRATION_GLOBS } from './test/suites.js';

export default defineConfig({
  test: {
    // Real-tool tests (runsvdir, systemd sandbox) share the machine: keep files in separate workers
    // but bound the parallelism so two booted systemd instances never compete for the 2 cores.
    // The two projects share one pool (same sequence.groupOrder), so the bound holds for the whole run.
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: [...configDefaults.exclude, ...INTEGRATION_GLOBS] } },
      { extends: true, test: { name: 'integration', include: INTEGRATION_GLOBS } },
    ],
  },
});

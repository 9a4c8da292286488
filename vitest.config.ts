import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Real-tool tests (runsvdir, systemd sandbox) share the machine: keep files in separate workers
    // but bound the parallelism so two booted systemd instances never compete for the 2 cores.
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});

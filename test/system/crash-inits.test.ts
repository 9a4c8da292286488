/**
 * Crash consistency on OpenRC, dinit and s6 (the same test as crash.test.ts: test/support/crash-upgrade.ts):
 * an upgrade killed at every mutating step leaves old-or-new files, and the next run converges.
 */
import { crashEveryStep } from '../support/crash-upgrade.js';

// s6 has the most steps (source directories, bundle, dependencies): ~360 s at a load of 15
crashEveryStep(
  [
    ['openrc', ['--target', 'openrc'], null, null],
    ['dinit', ['--target', 'dinit'], null, null],
    ['s6', ['--target', 's6'], null, null],
  ],
  1_200_000,
);

/**
 * Crash consistency on runit and systemd: see test/support/crash-upgrade.ts (OpenRC, dinit and s6 in
 * crash-inits.test.ts, so that the two files run side by side).
 */
import { crashEveryStep } from '../support/crash-upgrade.js';

// ~50 s each on a quiet machine, over 380 s at a load of 20 (a hang guard, not a speed target)
crashEveryStep(
  [
    ['runit (void)', ['--target', 'runit', '--layout', 'void'], '/var/service', '/etc/sv'],
    ['systemd', ['--target', 'systemd'], null, null],
  ],
  1_200_000,
);

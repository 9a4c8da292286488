/**
 * A throwaway machine with the real dinit as PID 1 (dinit-sandbox.sh), laid out as Artix's dinit: service files in
 * /etc/dinit.d, enabled by `dinitctl enable NAME` (a link in /etc/dinit.d/boot.d, the `boot` service's waits-for.d),
 * logs in /var/log/dinit, control socket /run/dinitctl. See init-machine.ts for the API.
 */
import { bootMachine, type InitMachine } from './init-machine.js';

export const DINIT_LAYOUT = {
  serviceDir: '/etc/dinit.d',
  bootDir: '/etc/dinit.d/boot.d',
  logDir: '/var/log/dinit',
  socket: '/run/dinitctl',
} as const;

export function bootDinit(opts: { binds?: readonly string[] } = {}): Promise<InitMachine> {
  return bootMachine('dinit', opts);
}

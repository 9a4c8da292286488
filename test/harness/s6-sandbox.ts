/**
 * A throwaway machine with the real s6-svscan as PID 1 and s6-rc managing services (s6-sandbox.sh), laid out as
 * Artix's s6 before s6-frontend: sources in /etc/s6/sv (packages) and /etc/s6/adminsv (the admin's, with the
 * `default` bundle), the compiled database behind the link /etc/s6/rc/compiled, scan directory /run/service, live
 * directory /run/s6-rc. See init-machine.ts for the API.
 */
import { bootMachine, type ExecResult, type InitMachine } from './init-machine.js';

export const S6_LAYOUT = {
  sourceDir: '/etc/s6/sv',
  adminDir: '/etc/s6/adminsv',
  defaultBundle: '/etc/s6/adminsv/default/contents.d',
  compiled: '/etc/s6/rc/compiled',
  scanDir: '/run/service',
  liveDir: '/run/s6-rc',
} as const;

export function bootS6(opts: { binds?: readonly string[] } = {}): Promise<InitMachine> {
  return bootMachine('s6', opts);
}

/**
 * What Artix's s6-db-reload does (s6-rc 0.5 era): compile both source trees into a new database, switch the live
 * state to it with s6-rc-update (which starts nothing new, and stops and removes services that are gone), then point
 * the boot link at it. The tree is rejected as a whole when one service is wrong: the old database stays in use.
 */
export function reloadS6Database(machine: InitMachine): Promise<ExecResult> {
  return machine.sh(
    [
      'set -e',
      'db=/etc/s6/rc/compiled-$(date +%s%N)',
      's6-rc-compile "$db" /etc/s6/sv /etc/s6/adminsv',
      's6-rc-update -l /run/s6-rc "$db"',
      'old=$(readlink /etc/s6/rc/compiled)',
      'ln -sfn "${db##*/}" /etc/s6/rc/compiled.new && mv -T /etc/s6/rc/compiled.new /etc/s6/rc/compiled',
      'rm -rf "/etc/s6/rc/$old"',
    ].join('\n'),
  );
}

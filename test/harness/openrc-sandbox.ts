/**
 * A throwaway machine with the real OpenRC (openrc-init as PID 1, openrc-run + supervise-daemon for services), laid
 * out as Artix's OpenRC: scripts in /etc/init.d, settings in /etc/conf.d, enabled by `rc-update add NAME default` (a
 * link in /etc/runlevels/default), state in /run/openrc. See openrc-sandbox.sh and init-machine.ts for the API.
 */
import { bootMachine, type InitMachine } from './init-machine.js';

export const OPENRC_LAYOUT = {
  initDir: '/etc/init.d',
  confDir: '/etc/conf.d',
  defaultRunlevel: '/etc/runlevels/default',
  stateDir: '/run/openrc',
} as const;

export function bootOpenrc(opts: { binds?: readonly string[] } = {}): Promise<InitMachine> {
  return bootMachine('openrc', opts);
}

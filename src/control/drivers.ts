/**
 * What each control command runs, per target, as data (argv lists): the one table the control commands read.
 * systemd acts on units, runit on service directories through sv(8) (absolute paths, so SVDIR does not matter).
 */
import type { ServiceHandle } from '../render/types.js';

export type ControlVerb = 'start' | 'stop' | 'restart' | 'run-now';
type Argv = readonly string[];

type SystemdHandle = Extract<ServiceHandle, { target: 'systemd' }>;
type RunitHandle = Extract<ServiceHandle, { target: 'runit' }>;

export const SYSTEMD_CONTROL: Readonly<Record<ControlVerb, (s: SystemdHandle) => Argv | null>> = {
  start: (s) => ['systemctl', 'start', s.mainUnit],
  // a periodic job: the timer, and a run that may be going on
  stop: (s) => ['systemctl', 'stop', s.mainUnit, ...(s.periodic ? [s.serviceUnit] : [])],
  restart: (s) => ['systemctl', 'restart', s.mainUnit],
  // triggers the job now, as the timer would; --no-block: like `sv hup`, it does not wait for the run to end
  'run-now': (s) => (s.periodic ? ['systemctl', 'start', '--no-block', s.serviceUnit] : null),
};

export const RUNIT_CONTROL: Readonly<Record<ControlVerb, (s: RunitHandle) => Argv | null>> = {
  start: (s) => ['sv', 'start', s.serviceDir],
  stop: (s) => ['sv', 'stop', s.serviceDir],
  restart: (s) => ['sv', 'restart', s.serviceDir],
  // the generated loop turns HUP into an immediate run
  'run-now': (s) => (s.periodic ? ['sv', 'hup', s.serviceDir] : null),
};

export function controlArgv(service: ServiceHandle, verb: ControlVerb): Argv | null {
  return service.target === 'systemd' ? SYSTEMD_CONTROL[verb](service) : RUNIT_CONTROL[verb](service);
}

export function logsArgv(service: ServiceHandle, options: { follow: boolean; lines: number }): Argv {
  if (service.target === 'systemd') {
    const units = service.units.flatMap((u) => (u.endsWith('.timer') ? [] : ['-u', u]));
    return ['journalctl', ...units, '-n', String(options.lines), '--no-pager', ...(options.follow ? ['-f'] : [])];
  }
  return ['tail', '-n', String(options.lines), ...(options.follow ? ['-F'] : []), `${service.logDir}/current`];
}

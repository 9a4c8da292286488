/** `status` of a systemd service: systemctl show, the manager's journal messages, the timer's next elapse. */
import { summarise, type ServiceStatus } from '../status.js';
import type { StatusPort } from '../target.js';
import { lastNotificationOf } from '../sh-notify.js';
import type { SystemdHandle } from './handle.js';
import { parseJournal, parseNextElapse } from './journal.js';

export async function systemdStatus(service: SystemdHandle, port: StatusPort): Promise<ServiceStatus> {
  const show = await port.run('systemctl', ['show', service.mainUnit, service.serviceUnit, '-p', 'Id,ActiveState,SubState,UnitFileState,MainPID']);
  const units = new Map<string, Record<string, string>>();
  for (const block of show.stdout.split('\n\n')) {
    const props = Object.fromEntries(block.split('\n').filter(Boolean).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
    if (props.Id) units.set(props.Id, props);
  }
  const main = units.get(service.mainUnit) ?? {};
  const job = units.get(service.serviceUnit) ?? {};
  const journal = await port.run('journalctl', ['-u', service.serviceUnit, '-o', 'json', '-n', '2000', '--no-pager']);
  const history = parseJournal(journal.stdout, service.serviceUnit, !service.periodic);
  let nextRun: string | undefined;
  if (service.periodic) {
    const timers = await port.run('systemctl', ['list-timers', '--all', '--output=json']);
    nextRun = parseNextElapse(timers.stdout, service.mainUnit);
  }
  const active = (p: Record<string, string>) => p.ActiveState ?? 'unknown';
  let state: string;
  if (service.periodic) {
    if (active(job) === 'activating' || active(job) === 'active') state = 'running';
    else if (active(main) === 'active') state = 'waiting';
    else state = active(job) === 'failed' ? 'failed' : 'stopped';
  } else {
    state = active(main) === 'active' ? 'running' : active(main) === 'failed' ? 'failed' : active(main) === 'activating' ? 'restarting' : 'stopped';
  }
  const pid = Number(job.MainPID ?? '0');
  return summarise(
    {
      name: service.name,
      target: 'systemd',
      kind: service.periodic ? 'periodic' : 'daemon',
      enabled: main.UnitFileState === 'enabled',
      state,
      ...(pid > 0 ? { pid } : {}),
      ...lastNotificationOf(service.name, port),
    },
    history.runs,
    nextRun,
  );
}

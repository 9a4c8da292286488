/** `status` of a runit service: `sv status` and the record of runs only root writes (../sh-records.ts). */
import { summarise, type ServiceStatus } from '../status.js';
import type { StatusPort } from '../target.js';
import { lastNotificationOf } from '../sh-notify.js';
import { parseRunRecords } from '../sh-records.js';
import { runtimePaths } from '../sh-runtime.js';
import type { RunitHandle } from './handle.js';
import { parseSvStatus } from './records.js';

export async function runitStatus(service: RunitHandle, port: StatusPort): Promise<ServiceStatus> {
  const sv = port.exists(`${service.serviceDir}/supervise/ok`) ? parseSvStatus((await port.run('sv', ['status', service.serviceDir])).stdout) : { state: 'unknown' as const };
  const history = parseRunRecords(port.read(runtimePaths(service.name).runs) ?? '');
  const open = history.runs.at(-1)?.outcome === 'running';
  let state: string;
  if (sv.state === 'run') state = service.periodic && !open ? 'waiting' : 'running';
  else if (sv.state === 'finish') state = 'restarting';
  else if (sv.state === 'down') state = 'stopped';
  else state = 'not supervised';
  return summarise(
    {
      name: service.name,
      target: 'runit',
      kind: service.periodic ? 'periodic' : 'daemon',
      enabled: port.exists(service.enableLink),
      state,
      ...(sv.pid ? { pid: sv.pid } : {}),
      ...lastNotificationOf(service.name, port),
    },
    history.runs,
    history.nextRun,
  );
}

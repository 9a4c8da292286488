/**
 * `status` of an OpenRC service: `rc-service NAME status` (its exit code: 0 started, 3 stopped, 4 stopping,
 * 8 starting, 32 crashed, 64 unsupervised), supervise-daemon's child pid, and the record of runs only root writes
 * (../sh-records.ts).
 */
import { parseRunRecords } from '../sh-records.js';
import { runtimePaths } from '../sh-runtime.js';
import { summarise, type ServiceStatus } from '../status.js';
import type { StatusPort } from '../target.js';
import { OPENRC } from './facts.js';
import type { OpenrcHandle } from './handle.js';

const STATES: Readonly<Record<number, string>> = { 0: 'running', 3: 'stopped', 4: 'stopping', 8: 'starting', 16: 'inactive', 32: 'failed', 64: 'unsupervised' };

export async function openrcStatus(service: OpenrcHandle, port: StatusPort): Promise<ServiceStatus> {
  const rc = await port.run('rc-service', [service.name, 'status']);
  const history = parseRunRecords(port.read(runtimePaths(service.name).runs) ?? '');
  const open = history.runs.at(-1)?.outcome === 'running';
  let state = STATES[rc.exitCode] ?? 'unknown';
  if (state === 'running' && service.periodic && !open) state = 'waiting';
  if (state === 'stopped' && port.exists(`${OPENRC.stateDir}/failed/${service.name}`)) state = 'failed';
  const pid = state === 'running' || state === 'waiting' ? Number(port.read(`${OPENRC.stateDir}/options/${service.name}/child_pid`)?.trim()) : Number.NaN;
  return summarise(
    {
      name: service.name,
      target: 'openrc',
      kind: service.periodic ? 'periodic' : 'daemon',
      enabled: port.exists(service.enableLink),
      state,
      ...(Number.isInteger(pid) && pid > 0 ? { pid } : {}),
    },
    history.runs,
    history.nextRun,
  );
}

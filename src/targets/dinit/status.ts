/** `status` of a dinit service: `dinitctl status` and the record of runs only root writes (../sh-records.ts). */
import { summarise, type ServiceStatus } from '../status.js';
import type { StatusPort } from '../target.js';
import { parseRunRecords } from '../sh-records.js';
import { runtimePaths } from '../sh-runtime.js';
import type { DinitHandle } from './handle.js';

/**
 * `dinitctl status NAME` (0.22): "Service: NAME\n    State: STARTED\n    Activation: ...\n    Process ID: 12\n",
 * "State: STOPPED", "State: STOPPED (terminated; exited - status 3)", "State: STARTING", "State: STOPPING". Pure.
 */
export function parseDinitStatus(text: string): { state: 'started' | 'stopped' | 'starting' | 'stopping' | 'unknown'; failed: boolean; pid?: number } {
  const m = /^\s*State: (STARTED|STOPPED|STARTING|STOPPING)(.*)$/m.exec(text);
  if (!m) return { state: 'unknown', failed: false };
  const pid = /^\s*Process ID: (\d+)$/m.exec(text);
  return {
    state: (m[1] as string).toLowerCase() as 'started' | 'stopped' | 'starting' | 'stopping',
    failed: /failed|terminated; (exited - status [1-9]|signalled)/.test(m[2] ?? ''),
    ...(pid ? { pid: Number(pid[1]) } : {}),
  };
}

export async function dinitStatus(service: DinitHandle, port: StatusPort): Promise<ServiceStatus> {
  const result = await port.run('dinitctl', ['status', service.name]);
  const dinit = result.exitCode === 0 ? parseDinitStatus(result.stdout) : { state: 'unknown' as const, failed: false };
  const history = parseRunRecords(port.read(runtimePaths(service.name).runs) ?? '');
  const open = history.runs.at(-1)?.outcome === 'running';
  let state: string;
  if (dinit.state === 'started') state = service.periodic && !open ? 'waiting' : 'running';
  else if (dinit.state === 'starting' || dinit.state === 'stopping') state = dinit.state;
  else if (dinit.state === 'stopped') state = dinit.failed ? 'failed' : 'stopped';
  else state = 'not loaded';
  return summarise(
    {
      name: service.name,
      target: 'dinit',
      kind: service.periodic ? 'periodic' : 'daemon',
      enabled: port.exists(service.enableLink),
      state,
      ...('pid' in dinit && dinit.pid ? { pid: dinit.pid } : {}),
    },
    history.runs,
    history.nextRun,
  );
}

/** `status` of an s6-rc service: s6-svstat of its longrun and the record of runs only root writes (../sh-records.ts). */
import { summarise, type ServiceStatus } from '../status.js';
import type { StatusPort } from '../target.js';
import { parseRunRecords } from '../sh-records.js';
import { runtimePaths } from '../sh-runtime.js';
import type { S6Handle } from './handle.js';

/** The fields asked of s6-svstat, in its order. */
export const SVSTAT_FIELDS = ['up', 'wantedup', 'pid', 'exitcode', 'signal'] as const;

/** `s6-svstat -o up,wantedup,pid,exitcode,signal DIR`: "true true 80 -1 NA", parsed. Pure. */
export function parseSvstat(text: string): { state: 'up' | 'down' | 'unknown'; wantedUp?: boolean; pid?: number } {
  const m = /^(true|false) (true|false) (-?\d+) (-?\d+) (\S+)$/.exec(text.trim());
  if (!m) return { state: 'unknown' };
  const pid = Number(m[3]);
  return { state: m[1] === 'true' ? 'up' : 'down', wantedUp: m[2] === 'true', ...(pid > 0 ? { pid } : {}) };
}

export async function s6Status(service: S6Handle, port: StatusPort): Promise<ServiceStatus> {
  const supervised = port.exists(`${service.liveDir}/supervise/status`);
  const sv = supervised ? parseSvstat((await port.run('s6-svstat', ['-o', SVSTAT_FIELDS.join(','), service.liveDir])).stdout) : { state: 'unknown' as const };
  const history = parseRunRecords(port.read(runtimePaths(service.name).runs) ?? '');
  const open = history.runs.at(-1)?.outcome === 'running';
  let state: string;
  if (sv.state === 'up') state = service.periodic && !open ? 'waiting' : 'running';
  else if (sv.state === 'down') state = sv.wantedUp ? 'restarting' : 'stopped';
  else state = 'not supervised';
  return summarise(
    {
      name: service.name,
      target: 's6',
      kind: service.periodic ? 'periodic' : 'daemon',
      enabled: port.exists(service.enableFile),
      state,
      ...(sv.pid ? { pid: sv.pid } : {}),
    },
    history.runs,
    history.nextRun,
  );
}

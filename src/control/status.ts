/**
 * Status of installed services, gathered from the live supervisor (systemctl/journalctl or sv and the svlogd
 * files) and condensed with the pure parsers in history.ts.
 */
import { readFileSync } from 'node:fs';
import { pathExists } from '../plan/read-installed.js';
import { runitRuntimePaths } from '../render/targets.js';
import type { ServiceHandle } from '../render/types.js';
import { runProcess } from './exec.js';
import { parseJournal, parseNextElapse, parseRunRecords, parseSvStatus, type RunRecord } from './history.js';

export interface ServiceStatus {
  readonly name: string;
  readonly target: 'systemd' | 'runit';
  readonly kind: 'periodic' | 'daemon';
  readonly enabled: boolean;
  /** waiting (a periodic job between runs), running, stopped, failed, restarting, unknown */
  readonly state: string;
  readonly pid?: number;
  readonly lastRun?: RunRecord;
  /** the most recent runs, oldest first */
  readonly runs: readonly RunRecord[];
  /** skipped runs (precondition not met) among `runs` */
  readonly skipped: number;
  readonly nextRun?: string;
}

const RECENT_RUNS = 10;

function summarise(
  base: Pick<ServiceStatus, 'name' | 'target' | 'kind' | 'enabled' | 'state'> & { pid?: number },
  runs: readonly RunRecord[],
  nextRun: string | undefined,
): ServiceStatus {
  const recent = runs.slice(-RECENT_RUNS);
  // the last run that ended (a run going on now shows as the state), else whatever there is
  const lastRun = [...runs].reverse().find((r) => r.outcome !== 'skipped' && r.outcome !== 'running') ?? runs.at(-1);
  return {
    ...base,
    ...(lastRun ? { lastRun } : {}),
    runs: recent,
    skipped: recent.filter((r) => r.outcome === 'skipped').length,
    ...(nextRun && base.state !== 'stopped' ? { nextRun } : {}),
  };
}

async function systemdStatus(service: Extract<ServiceHandle, { target: 'systemd' }>): Promise<ServiceStatus> {
  const show = await runProcess('systemctl', ['show', service.mainUnit, service.serviceUnit, '-p', 'Id,ActiveState,SubState,UnitFileState,MainPID']);
  const units = new Map<string, Record<string, string>>();
  for (const block of show.stdout.split('\n\n')) {
    const props = Object.fromEntries(block.split('\n').filter(Boolean).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
    if (props.Id) units.set(props.Id, props);
  }
  const main = units.get(service.mainUnit) ?? {};
  const job = units.get(service.serviceUnit) ?? {};
  const journal = await runProcess('journalctl', ['-u', service.serviceUnit, '-o', 'json', '-n', '2000', '--no-pager']);
  const history = parseJournal(journal.stdout, service.serviceUnit, !service.periodic);
  let nextRun: string | undefined;
  if (service.periodic) {
    const timers = await runProcess('systemctl', ['list-timers', '--all', '--output=json']);
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
    },
    history.runs,
    nextRun,
  );
}

/** The record of runs, which only root writes (none yet: empty). */
function readRecords(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

async function runitStatus(service: Extract<ServiceHandle, { target: 'runit' }>): Promise<ServiceStatus> {
  const sv = pathExists(`${service.serviceDir}/supervise/ok`) ? parseSvStatus((await runProcess('sv', ['status', service.serviceDir])).stdout) : { state: 'unknown' as const };
  const history = parseRunRecords(readRecords(runitRuntimePaths(service.name).runs));
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
      enabled: pathExists(service.enableLink),
      state,
      ...(sv.pid ? { pid: sv.pid } : {}),
    },
    history.runs,
    history.nextRun,
  );
}

export function serviceStatus(service: ServiceHandle): Promise<ServiceStatus> {
  return service.target === 'systemd' ? systemdStatus(service) : runitStatus(service);
}

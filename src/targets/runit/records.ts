/**
 * runit's run history, from the record of runs the generated scripts keep where only root writes
 * (templates/sh/_records.hbs): never from the svlogd log, where the job's own output goes too and could say
 * "pvpn-gen: run finished" itself. And `sv status`. Pure parsers: the text comes in, records come out.
 */
import type { History, Outcome, RunRecord } from '../status.js';

/** `1764851484` (seconds since the epoch, as `date +%s` prints them) -> ISO 8601 */
function epochTime(stamp: string): string | undefined {
  return /^\d{1,12}$/.test(stamp) ? new Date(Number(stamp) * 1000).toISOString() : undefined;
}

function field(text: string, name: string): number | undefined {
  const m = new RegExp(`(?:^| )${name}=(-?\\d+)`).exec(text);
  return m ? Number(m[1]) : undefined;
}

/** The record of runs of a runit service: one `SECONDS EVENT` line each (templates/sh/_records.hbs). */
export function parseRunRecords(text: string, now: Date = new Date()): History {
  const runs: RunRecord[] = [];
  let open: { started: string } | undefined;
  let nextRun: string | undefined;
  for (const line of text.split('\n')) {
    const space = line.indexOf(' ');
    if (space < 0) continue;
    const at = epochTime(line.slice(0, space));
    if (!at) continue;
    const event = line.slice(space + 1);
    if (event === 'run started') {
      open = { started: at };
    } else if (/^run (finished|failed|stopped) /.test(event)) {
      const outcome: Outcome = event.startsWith('run finished') ? 'success' : event.startsWith('run failed') ? 'failed' : 'stopped';
      const status = field(event, 'status') ?? field(event, 'precondition-status');
      const seconds = field(event, 'seconds');
      const precondition = event.includes('precondition-status');
      runs.push({
        started: open?.started ?? at,
        outcome,
        ...(seconds === undefined ? {} : { seconds }),
        ...(status === undefined ? {} : { status }),
        ...(precondition ? { detail: 'precondition failed' } : {}),
      });
      open = undefined;
    } else if (event.startsWith('run skipped') || event.startsWith('start skipped')) {
      runs.push({ started: at, outcome: 'skipped', status: field(event, 'precondition-status') ?? 1, detail: 'precondition not met' });
    } else if (event.startsWith('daemon failed')) {
      const status = field(event, 'status');
      runs.push({ started: at, outcome: 'failed', ...(status === undefined ? {} : { status }), detail: event.slice('daemon failed '.length) });
    } else if (event.startsWith('next run at=')) {
      const value = event.slice('next run at='.length).split(' ')[0] ?? '';
      nextRun = /^\d+$/.test(value) ? new Date(Number(value) * 1000).toISOString() : isoFromSnooze(value);
    } else if (event === 'stopped') {
      nextRun = undefined;
    }
  }
  if (open) runs.push({ started: open.started, outcome: 'running', seconds: Math.max(0, Math.round((now.getTime() - Date.parse(open.started)) / 1000)) });
  return { runs, ...(nextRun ? { nextRun } : {}) };
}

/** snooze -n prints `2026-11-28T03:00:00+0000` */
function isoFromSnooze(value: string): string | undefined {
  const ms = Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/** `sv status DIR`: "run: /etc/sv/x: (pid 12) 30s; run: log: (pid 13) 30s" */
export function parseSvStatus(text: string): { state: 'run' | 'down' | 'finish' | 'unknown'; pid?: number; seconds?: number; wantUp?: boolean } {
  const m = /^(run|down|finish): [^:]+: (?:\(pid (\d+)\) )?(\d+)s(.*)$/m.exec(text);
  if (!m) return { state: 'unknown' };
  const rest = m[4] ?? '';
  return {
    state: m[1] as 'run' | 'down' | 'finish',
    ...(m[2] ? { pid: Number(m[2]) } : {}),
    seconds: Number(m[3]),
    ...(rest.includes('normally up') || rest.includes('want up') ? { wantUp: true } : {}),
  };
}

/**
 * The run history of the targets whose scripts run as root (runit, s6), from the record of runs those scripts keep
 * where only root writes (templates/sh/_records.hbs): never from the service's log, where the job's own output goes
 * too and could say "pvpn-gen: run finished" itself. A pure parser: the text comes in, records come out.
 */
import type { History, Outcome, RunRecord } from './status.js';

/** `1764851484` (seconds since the epoch, as `date +%s` prints them) -> ISO 8601 */
function epochTime(stamp: string): string | undefined {
  return /^\d{1,12}$/.test(stamp) ? new Date(Number(stamp) * 1000).toISOString() : undefined;
}

function field(text: string, name: string): number | undefined {
  const m = new RegExp(`(?:^| )${name}=(-?\\d+)`).exec(text);
  return m ? Number(m[1]) : undefined;
}

/** A service's record of runs: one `SECONDS EVENT` line each (templates/sh/_records.hbs). */
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

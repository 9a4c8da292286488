/**
 * Run history, the seed's "status dashboard with update history", from what only root can write: the record of
 * runs the generated runit scripts keep beside pvpn-gen's state (never the svlogd log: the job's own output goes
 * there too, and it could print "pvpn-gen: run finished" itself), or systemd's own structured journal messages
 * (grouped by INVOCATION_ID; the manager's messages carry trusted fields a job cannot set). Pure parsers: the text
 * comes in, records come out.
 */
import { constants as osConstants } from 'node:os';

export type Outcome = 'success' | 'failed' | 'skipped' | 'running' | 'stopped';

export interface RunRecord {
  /** ISO 8601, UTC */
  readonly started: string;
  readonly outcome: Outcome;
  readonly seconds?: number;
  /** exit status of the job (or of the precondition, for a skipped or failed precondition) */
  readonly status?: number;
  readonly detail?: string;
}

export interface History {
  readonly runs: readonly RunRecord[];
  /** ISO 8601, when the supervisor plans the next run */
  readonly nextRun?: string;
}

/** `1764851484` (seconds since the epoch, as `date +%s` prints them) -> ISO 8601 */
function epochTime(stamp: string): string | undefined {
  return /^\d{1,12}$/.test(stamp) ? new Date(Number(stamp) * 1000).toISOString() : undefined;
}

function field(text: string, name: string): number | undefined {
  const m = new RegExp(`(?:^| )${name}=(-?\\d+)`).exec(text);
  return m ? Number(m[1]) : undefined;
}

/** The record of runs of a runit service: one `SECONDS EVENT` line each (templates/runit/_records.hbs). */
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

/** systemd's catalog message ids (sd-messages.h) the history is built from */
const STARTING = '7d4958e842da4a758f6c1cdc7b36dcc5';
const SKIPPED = '0e4284a0caca4bfc81c0bb6786972673';
const PROCESS_EXIT = '98e322203f7a4ed290d09fe03c09fe15';
const SUCCESS = '7ad2d189f7e94e70a38c781354912448';
/** "Failed with result ..." and the job's "Failed to start" */
const FAILED = new Set(['d9b373ed55a64feb8242e02dbe79a49c', 'be02cf6855d2428ba40df7e9d022f03d']);
const STARTED = '39f53479d3a045ac8e11786248231fbf';

interface JournalEntry {
  readonly MESSAGE_ID?: string;
  readonly INVOCATION_ID?: string;
  readonly UNIT?: string;
  readonly UNIT_RESULT?: string;
  readonly JOB_RESULT?: string;
  readonly EXIT_STATUS?: string;
  readonly EXIT_CODE?: string;
  readonly __REALTIME_TIMESTAMP?: string;
  /** set by journald itself, never by the sender: the manager is PID 1 */
  readonly _PID?: string;
}

/** "9" -> "SIGKILL" (systemd logs the signal of a killed process as its number) */
function signalName(status: string | undefined): string {
  const number = Number(status);
  const name = Object.entries(osConstants.signals).find(([, n]) => n === number)?.[0];
  return name ?? `signal ${status ?? '?'}`;
}

/** `journalctl -u UNIT -o json` output (one JSON object per line), for the unit's own manager messages. */
export function parseJournal(text: string, unit: string, daemon: boolean): History {
  const byInvocation = new Map<string, { started?: number; ended?: number; outcome?: Outcome; status?: number; detail?: string }>();
  const order: string[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('{')) continue;
    let entry: JournalEntry;
    try {
      entry = JSON.parse(line) as JournalEntry;
    } catch {
      continue;
    }
    // UNIT= and MESSAGE_ID= are fields any process may send (sd_journal_send, logger --journald): only what the
    // manager itself logged counts, and journald, not the sender, says who that was
    if (entry._PID !== '1' || entry.UNIT !== unit || !entry.INVOCATION_ID || !entry.MESSAGE_ID) continue;
    const at = Number(entry.__REALTIME_TIMESTAMP ?? '0') / 1000;
    let run = byInvocation.get(entry.INVOCATION_ID);
    if (!run) {
      run = {};
      byInvocation.set(entry.INVOCATION_ID, run);
      order.push(entry.INVOCATION_ID);
    }
    if (FAILED.has(entry.MESSAGE_ID)) {
      run.outcome = 'failed';
      run.ended = at;
      continue;
    }
    switch (entry.MESSAGE_ID) {
      case STARTING:
        run.started = at;
        break;
      case SKIPPED:
        run.outcome = 'skipped';
        run.ended = at;
        run.detail = entry.UNIT_RESULT === 'exec-condition' ? 'precondition not met' : `skipped: ${entry.UNIT_RESULT ?? ''}`;
        break;
      case PROCESS_EXIT:
        // EXIT_STATUS is the exit status only for EXIT_CODE=exited; for killed/dumped it is the signal number
        if (entry.EXIT_CODE === 'killed' || entry.EXIT_CODE === 'dumped') run.detail = `${entry.EXIT_CODE === 'killed' ? 'killed by' : 'dumped core on'} ${signalName(entry.EXIT_STATUS)}`;
        else if (entry.EXIT_STATUS !== undefined && /^\d+$/.test(entry.EXIT_STATUS)) run.status = Number(entry.EXIT_STATUS);
        else if (entry.EXIT_STATUS) run.detail = `${entry.EXIT_CODE ?? 'ended'} ${entry.EXIT_STATUS}`;
        break;
      case SUCCESS:
        run.outcome ??= 'success';
        run.ended = at;
        run.status ??= 0;
        break;
      case STARTED:
        // a oneshot's "Finished"; a daemon's "Started" means it is up, not done
        if (!daemon && entry.JOB_RESULT === 'done') run.outcome ??= 'success';
        break;
    }
  }
  const runs: RunRecord[] = order.flatMap((id) => {
    const run = byInvocation.get(id);
    if (!run || run.started === undefined) return [];
    const outcome: Outcome = run.outcome ?? 'running';
    return [
      {
        started: new Date(run.started).toISOString(),
        outcome,
        ...(run.ended !== undefined ? { seconds: Math.round((run.ended - run.started) / 1000) } : {}),
        ...(run.status !== undefined ? { status: run.status } : {}),
        ...(run.detail ? { detail: run.detail } : {}),
      },
    ];
  });
  return { runs };
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

/** `systemctl list-timers --all --output=json`: the next elapse of `timer`, as ISO 8601. */
export function parseNextElapse(json: string, timer: string): string | undefined {
  try {
    const timers = JSON.parse(json) as Array<{ unit?: string; next?: number }>;
    const next = timers.find((t) => t.unit === timer)?.next;
    return next && next > 0 ? new Date(next / 1000).toISOString() : undefined;
  } catch {
    return undefined;
  }
}

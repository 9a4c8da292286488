/**
 * systemd's run history, from its own structured journal messages (grouped by INVOCATION_ID), and the next elapse
 * of a timer. Only what the manager (PID 1) logged counts: journald, not the sender, sets _PID, and any process may
 * send UNIT= and MESSAGE_ID=. Pure parsers: the text comes in, records come out.
 */
import { constants as osConstants } from 'node:os';
import type { History, Outcome, RunRecord } from '../status.js';

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

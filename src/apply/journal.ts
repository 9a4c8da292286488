/**
 * The intent log. A transaction is written down before its first visible change:
 *   prepared  - temp files are being written; a crash here is rolled back (temps and new directories removed)
 *   committed - every temp is complete and fsynced; a crash here is rolled forward (the renames finished)
 * Every commit step is idempotent and guarded, so finishing a half-done commit any number of times gives the same
 * result. The journal itself is replaced atomically, so it is always one of the two states, never torn.
 */

/** One step of a transaction. Paths are full paths (the --root prefix included). */
export type JournalOp =
  /** a directory the transaction creates (prepare); removed again on rollback */
  | { readonly op: 'mkdir'; readonly path: string; readonly mode: number }
  /** a file or link written as `temp` in prepare, renamed over `path` in commit */
  | { readonly op: 'put'; readonly path: string; readonly temp: string }
  /** runit: take an enabled service's link away while its files change (re-made by a later put) */
  | { readonly op: 'disable'; readonly path: string; readonly untilTemp: string }
  /** --force: keep the file being replaced under a second name, before the put that replaces it */
  | { readonly op: 'backup'; readonly path: string; readonly backup: string; readonly untilTemp: string }
  /** uninstall: put a file that --force took over back in place */
  | { readonly op: 'restore'; readonly path: string; readonly backup: string }
  | { readonly op: 'unlink'; readonly path: string }
  /** runsv's own state (supervise/) inside a service directory being removed */
  | { readonly op: 'remove-tree'; readonly path: string }
  | { readonly op: 'rmdir'; readonly path: string };

export interface Journal {
  readonly format: 1;
  readonly txid: string;
  readonly state: 'prepared' | 'committed';
  /** what the transaction does, for the message when it is recovered */
  readonly summary: string;
  readonly ops: readonly JournalOp[];
}

export function serialiseJournal(journal: Journal): string {
  return JSON.stringify(journal, null, 1) + '\n';
}

export function parseJournal(text: string): Journal | undefined {
  try {
    const data = JSON.parse(text) as Journal;
    if (data.format !== 1 || (data.state !== 'prepared' && data.state !== 'committed') || !Array.isArray(data.ops)) return undefined;
    return data;
  } catch {
    return undefined;
  }
}

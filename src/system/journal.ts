/**
 * The intent log. A transaction is written down before its first visible change:
 *   prepared  - temp files are being written; a crash here is rolled back (temps and new directories removed)
 *   committed - every temp is complete and fsynced; a crash here is rolled forward (the renames finished)
 * Every commit step is idempotent and guarded, so finishing a half-done commit any number of times gives the same
 * result. The journal itself is replaced atomically, so it is always one of the two states, never torn.
 */

import { basename, dirname } from 'node:path';
import { isPlainAbsolute } from '../plan/state-paths.js';

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

/** The journal of `root`, or undefined when it is damaged or names a path it has no business with. */
export function parseJournal(text: string, root: string): Journal | undefined {
  try {
    const data = JSON.parse(text) as Journal;
    if (data.format !== 1 || (data.state !== 'prepared' && data.state !== 'committed') || !Array.isArray(data.ops)) return undefined;
    return data.ops.every((op) => opPathsOk(op, root)) ? data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Recovery acts as root on what the journal names: every path must lie plainly under the root, and a temp or
 * backup must sit beside the file it stands for (as siblingPath makes them), so a damaged or forged journal can
 * never make it rename or remove anything elsewhere.
 */
function opPathsOk(op: JournalOp, root: string): boolean {
  const under = (path: unknown) => typeof path === 'string' && path.startsWith(`${root}/`) && isPlainAbsolute(path.slice(root.length));
  const beside = (path: string, other: unknown) =>
    typeof other === 'string' && under(other) && dirname(other) === dirname(path) && /^\.[^/]*\.pvpn-gen-[^/]+$/.test(basename(other));
  if (!op || typeof op !== 'object' || !under(op.path)) return false;
  switch (op.op) {
    case 'put':
      return beside(op.path, op.temp);
    case 'disable':
      return beside(op.path, op.untilTemp);
    case 'backup':
      return beside(op.path, op.backup) && (op.untilTemp === '' || beside(op.path, op.untilTemp));
    case 'restore':
      return beside(op.path, op.backup);
    case 'mkdir':
      return Number.isInteger(op.mode);
    case 'unlink':
    case 'remove-tree':
    case 'rmdir':
      return true;
    default:
      return false;
  }
}

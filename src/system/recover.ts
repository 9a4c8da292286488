/**
 * Finishing what a killed run left: a committed journal is rolled forward, a prepared one rolled back. Every
 * command that reads or changes installed state calls this first, holding the lock, and says what it did.
 */
import { dirname } from 'node:path';
import { OperationError } from '../errors.js';
import { exists, type Reader, type System } from './port.js';
import { parseJournal } from './journal.js';
import { journalPathOf, stateDirOf } from '../plan/state-paths.js';
import { commitOps, rollbackOps } from './transaction.js';

export interface Recovery {
  readonly txid: string;
  readonly outcome: 'rolled-forward' | 'rolled-back';
  readonly summary: string;
}

export function pendingJournal(reader: Reader, root: string): boolean {
  return exists(reader, journalPathOf(root));
}

export function recover(root: string, port: System): Recovery | null {
  const path = journalPathOf(root);
  const text = port.read(path);
  const journal = text === null ? null : parseJournal(text.toString('utf8'), root);
  if (journal === undefined) throw new OperationError(`${path} is damaged; inspect it, then remove it to continue`);
  removeStrayStateTemps(root, port, new Set((journal?.ops ?? []).flatMap((op) => (op.op === 'put' ? [op.temp] : []))));
  if (!journal) return null;
  if (journal.state === 'committed') commitOps(port, journal.ops);
  else rollbackOps(port, journal.ops);
  port.unlink(path);
  port.fsyncDir(dirname(path));
  return { txid: journal.txid, outcome: journal.state === 'committed' ? 'rolled-forward' : 'rolled-back', summary: journal.summary };
}

export function describeRecovery(r: Recovery): string {
  return r.outcome === 'rolled-forward'
    ? `finished an interrupted run (${r.summary}): the change it had committed is now complete`
    : `rolled back an interrupted run (${r.summary}): nothing of it had been committed, its temporary files are removed`;
}

/**
 * A run killed while writing one of its own state files (the journal, the directory record) leaves that file's temp
 * behind; no journal names it, but the state directory is pvpn-gen's alone, so its temps can go.
 */
function removeStrayStateTemps(root: string, port: System, journaled: ReadonlySet<string>): void {
  const dir = stateDirOf(root);
  for (const name of port.list(dir) ?? []) {
    const path = `${dir}/${name}`;
    if (name.startsWith('.') && name.includes('.pvpn-gen-') && !journaled.has(path)) port.unlink(path);
  }
}

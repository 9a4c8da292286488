/**
 * Finishing what a killed run left: a committed journal is rolled forward, a prepared one rolled back. Every
 * command that reads or changes installed state calls this first, holding the lock, and says what it did.
 */
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { OperationError } from '../errors.js';
import type { WritePort } from './fs-write.js';
import { parseJournal } from './journal.js';
import { journalPathOf } from '../plan/state-paths.js';
import { commitOps, exists, rollbackOps } from './transaction.js';

export interface Recovery {
  readonly txid: string;
  readonly outcome: 'rolled-forward' | 'rolled-back';
  readonly summary: string;
}

export function pendingJournal(root: string): boolean {
  return exists(journalPathOf(root));
}

export function recover(root: string, port: WritePort): Recovery | null {
  const path = journalPathOf(root);
  if (!exists(path)) return null;
  const journal = parseJournal(readFileSync(path, 'utf8'));
  if (!journal) throw new OperationError(`${path} is damaged; inspect it, then remove it to continue`);
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

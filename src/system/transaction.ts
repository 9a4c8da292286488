/**
 * Applying a plan: all of it or none of it, even if the process is killed at any instant.
 *
 *   1. journal "prepared" (the ops, with the temp name of every file)
 *   2. new directories, then every file and link as a temp in its own target directory (mode first, data, fsync)
 *   3. journal "committed"
 *   4. the ops in order: renames over the targets (a runit service's files before its enable link), removals
 *      (enable links first), runsv state, empty directories, the manifest last
 *   5. journal removed
 * A crash before 3 is rolled back by the next run, after 3 rolled forward (see journal.ts and recover.ts).
 */
import { dirname } from 'node:path';
import { OperationError } from '../errors.js';
import { backupPathOf } from '../plan/build.js';
import { serialiseManifest } from '../plan/manifest.js';
import type { PlanWithDirectories } from '../plan/build.js';
import type { Manifest } from '../plan/types.js';
import { targetNamed } from '../targets/index.js';
import { exists as pathExists, type System } from './port.js';
import { serialiseJournal, type Journal, type JournalOp } from './journal.js';
import { directoriesPathOf, journalPathOf, manifestFileOf, siblingPath } from '../plan/state-paths.js';

export interface TransactionInput {
  readonly root: string;
  readonly plan: PlanWithDirectories;
  /** the manifest before this transaction (its runit services' supervise/ directories go with them) */
  readonly previous: Manifest | null;
  readonly port: System;
  readonly txid: string;
  readonly summary: string;
  /** told when each phase starts, for the task list */
  readonly onPhase?: (phase: 'prepare' | 'commit' | 'finish') => void;
}

/** What prepare writes for each put: the content of a temp file or the target of a temp link. */
type TempContent = { readonly kind: 'file'; readonly content: string; readonly mode: number } | { readonly kind: 'symlink'; readonly target: string };

/** The journal ops and the temp contents for a plan, in commit order. */
export function buildOps(input: Pick<TransactionInput, 'root' | 'plan' | 'previous' | 'txid'>): { ops: JournalOp[]; temps: Map<string, TempContent> } {
  const { root, plan, txid } = input;
  const full = (path: string) => root + path;
  const temps = new Map<string, TempContent>();
  const ops: JournalOp[] = plan.createDirectories.map((path) => ({ op: 'mkdir', path: full(path), mode: 0o755 }));

  const writes = plan.changes.filter((c) => c.kind === 'create' || c.kind === 'update');
  const put = (path: string, content: TempContent) => {
    const temp = siblingPath(full(path), txid);
    temps.set(temp, content);
    return { op: 'put', path: full(path), temp } as const;
  };

  // An enabled service whose files change is disabled for the moment its files are mixed, where the target asks for
  // it (runit: runsv must never start a new run with an old log/run, or the reverse); the later put of its link
  // enables it again.
  const relinks: JournalOp[] = [];
  const linkPuts: JournalOp[] = [];
  for (const service of plan.manifest.services) {
    const relink = targetNamed(service.target).relinkWhileChanging(service);
    if (!relink) continue;
    const dir = `${relink.target}/`;
    const filesChange = writes.some((c) => c.entry.kind === 'file' && c.path.startsWith(dir));
    const linkWritten = writes.some((c) => c.path === relink.link);
    const linkOnDisk = plan.changes.some((c) => c.path === relink.link && c.kind === 'unchanged');
    if (filesChange && !linkWritten && linkOnDisk) {
      const op = put(relink.link, { kind: 'symlink', target: relink.target });
      relinks.push({ op: 'disable', path: full(relink.link), untilTemp: op.temp });
      linkPuts.push(op);
    }
  }
  ops.push(...relinks);

  // Files first, links after them (a runit service is complete before its enable link appears); a file --force
  // takes over is kept as a backup the moment before its replacement.
  const filePuts: JournalOp[] = [];
  for (const change of writes) {
    const entry = change.entry;
    const op = put(change.path, entry.kind === 'file' ? { kind: 'file', content: entry.content, mode: entry.mode } : { kind: 'symlink', target: entry.target });
    const queue = entry.kind === 'file' ? filePuts : linkPuts;
    if (change.kind === 'update' && change.backup) queue.push({ op: 'backup', path: full(change.path), backup: full(backupPathOf(change.path)), untilTemp: op.temp });
    queue.push(op);
  }
  ops.push(...filePuts, ...linkPuts);

  // Removals: links (the disabling) first, then files; a file --force took over goes back to its backup.
  const removals = plan.changes.filter((c) => c.kind === 'remove');
  const backups = new Map((input.previous?.backups ?? []).map((b) => [b.path, b.backup]));
  const removalOps = (links: boolean) =>
    removals
      .filter((c) => c.before.kind !== 'missing' && (c.recorded.kind === 'symlink') === links)
      .flatMap((c): JournalOp[] => {
        const backup = backups.get(c.path);
        if (backup) return [{ op: 'restore', path: full(c.path), backup: full(backup) }];
        if (c.backup) return [{ op: 'backup', path: full(c.path), backup: full(backupPathOf(c.path)), untilTemp: '' }, { op: 'unlink', path: full(c.path) }];
        return [{ op: 'unlink', path: full(c.path) }];
      });
  ops.push(...removalOps(true), ...removalOps(false));

  // what the supervisor and the scripts left beside a removed service (runit: runsv's supervise/, the copies of its
  // secrets, its record of runs)
  const remaining = new Set(plan.manifest.services.map((s) => s.name));
  for (const service of input.previous?.services ?? []) {
    if (remaining.has(service.name)) continue;
    ops.push(...targetNamed(service.target).leftovers(service).map((path): JournalOp => ({ op: 'remove-tree', path: full(path) })));
  }
  ops.push(...plan.removeDirectories.map((path): JournalOp => ({ op: 'rmdir', path: full(path) })));

  // The records go last: until they are replaced, the old ones still describe what may be undone. A record with
  // nothing left to hold is removed.
  const putRecord = (path: string, content: string | null) => {
    if (content === null) return void ops.push({ op: 'unlink', path });
    const temp = siblingPath(path, txid);
    temps.set(temp, { kind: 'file', content, mode: 0o644 });
    ops.push({ op: 'put', path, temp });
  };
  putRecord(directoriesPathOf(root), plan.directories.length > 0 ? JSON.stringify(plan.directories, null, 1) + '\n' : null);
  putRecord(manifestFileOf(root, plan.manifest.project), plan.manifest.entries.length > 0 ? serialiseManifest(plan.manifest) : null);
  return { ops, temps };
}

function writeJournal(port: System, root: string, journal: Journal): void {
  const path = journalPathOf(root);
  const temp = siblingPath(path, `${journal.txid}-${journal.state}`);
  port.writeNew(temp, serialiseJournal(journal), 0o600);
  port.rename(temp, path);
  port.fsyncDir(dirname(path));
}

export async function runTransaction(input: TransactionInput): Promise<{ warnings: string[] }> {
  const { port, root, txid } = input;
  const { ops, temps } = buildOps(input);
  const journal: Journal = { format: 1, txid, state: 'prepared', summary: input.summary, ops };

  input.onPhase?.('prepare');
  writeJournal(port, root, journal);
  let writing = '';
  try {
    for (const op of ops) {
      if (op.op !== 'mkdir') continue;
      writing = op.path;
      port.mkdir(op.path, op.mode);
      port.fsyncDir(dirname(op.path));
    }
    writing = 'the temporary files';
    await port.writeNewMany(
      [...temps].map(([path, content]) => (content.kind === 'file' ? { path, content: content.content, mode: content.mode } : { path, target: content.target })),
    );
    for (const dir of new Set([...temps.keys()].map(dirname))) {
      writing = dir;
      port.fsyncDir(dir);
    }
    writing = journalPathOf(root);
    writeJournal(port, root, { ...journal, state: 'committed' });
  } catch (error) {
    // Nothing visible has changed yet: undo the temps and directories, and say what failed where.
    rollbackOps(port, ops);
    if (pathExists(port, journalPathOf(root))) port.unlink(journalPathOf(root));
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOSPC' ? 'no space left on the device' : (error as Error).message;
    // name the file that failed (a temp stands for its target)
    const failed = (error as NodeJS.ErrnoException).path ?? writing;
    throw new OperationError(`could not write ${failed.replace(/\/\.([^/]*)\.pvpn-gen-[^/]*$/, '/$1')}: ${reason}; nothing was changed`, { cause: error });
  }
  input.onPhase?.('commit');
  const warnings = commitOps(port, ops);
  input.onPhase?.('finish');
  port.unlink(journalPathOf(root));
  port.fsyncDir(dirname(journalPathOf(root)));
  return { warnings };
}

/** Carries out the ops of a committed journal. Idempotent: each step checks whether it is still to be done. */
export function commitOps(port: System, ops: readonly JournalOp[]): string[] {
  const exists = (path: string) => pathExists(port, path);
  const warnings: string[] = [];
  const touched = new Set<string>();
  for (const op of ops) {
    switch (op.op) {
      case 'mkdir':
        break;
      case 'put':
        if (exists(op.temp)) port.rename(op.temp, op.path);
        touched.add(dirname(op.path));
        break;
      case 'disable':
        if (exists(op.untilTemp) && exists(op.path)) port.unlink(op.path);
        touched.add(dirname(op.path));
        break;
      case 'backup':
        if ((op.untilTemp === '' || exists(op.untilTemp)) && exists(op.path) && !exists(op.backup)) port.link(op.path, op.backup);
        touched.add(dirname(op.path));
        break;
      case 'restore':
        if (exists(op.backup)) port.rename(op.backup, op.path);
        touched.add(dirname(op.path));
        break;
      case 'unlink':
        if (exists(op.path)) port.unlink(op.path);
        touched.add(dirname(op.path));
        break;
      case 'remove-tree':
        if (exists(op.path)) port.removeTree(op.path);
        break;
      case 'rmdir':
        if (!exists(op.path)) break;
        try {
          port.rmdir(op.path);
          touched.add(dirname(op.path));
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code;
          if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw error;
          warnings.push(`${op.path} was left in place: it holds files pvpn-gen did not write`);
        }
        break;
    }
  }
  for (const dir of touched) if (exists(dir)) port.fsyncDir(dir);
  return warnings;
}

/** Undoes a prepared (not committed) journal: temps and the directories it created go. */
export function rollbackOps(port: System, ops: readonly JournalOp[]): void {
  const exists = (path: string) => pathExists(port, path);
  for (const op of ops) if (op.op === 'put' && exists(op.temp)) port.unlink(op.temp);
  for (const op of [...ops].reverse()) {
    if (op.op !== 'mkdir' || !exists(op.path)) continue;
    try {
      port.rmdir(op.path);
    } catch {
      // not empty: something else was put there meanwhile; leave it
    }
  }
}

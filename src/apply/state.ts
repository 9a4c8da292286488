/**
 * pvpn-gen's own state under <root>/var/lib/pvpn-gen: manifests/<project>.json, journal.json, lock, and
 * created-directories.json, which lists the directories pvpn-gen made for all this, so that uninstalling the last
 * project leaves the root exactly as it was.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { createdListOf, journalPathOf, manifestsDirOf } from '../plan/state-paths.js';
import { atomicWriteFile, ensureDirectory } from './atomic.js';
import type { WritePort } from './fs-write.js';
import type { HeldLock } from './lock.js';
import { pathExists as exists } from '../plan/read-installed.js';

/** Creates the state directory if it is not there yet; returns the directories that took (as install paths). */
export function ensureStateDir(root: string, port: WritePort): string[] {
  const manifests = manifestsDirOf(root);
  if (exists(manifests)) return [];
  return ensureDirectory(port, manifests).map((dir) => dir.slice(root.length));
}

/**
 * Records directories made for the state directory, merged with what is recorded already. Called under the lock
 * (two first runs may each create some of the parents; both records must survive).
 */
export function recordStateDirectories(root: string, port: WritePort, created: readonly string[]): void {
  if (created.length === 0) return;
  let recorded: string[] = [];
  try {
    recorded = JSON.parse(readFileSync(createdListOf(root), 'utf8')) as string[];
  } catch {
    recorded = [];
  }
  const merged = [...new Set([...recorded, ...created])].sort();
  atomicWriteFile(port, createdListOf(root), JSON.stringify(merged) + '\n', 0o644);
}

/**
 * After the last project is uninstalled: the state directory and every directory made for it go, so the root is
 * as it was before the first install. Runs while holding the lock; the lock file goes just before its directory
 * (unlinking a held lock is safe: see acquireLock).
 */
export function removeStateIfUnused(root: string, port: WritePort, lock: HeldLock): void {
  const manifests = manifestsDirOf(root);
  if (!exists(manifests) || readdirSync(manifests).length > 0 || exists(journalPathOf(root))) return;
  let created: string[];
  try {
    created = JSON.parse(readFileSync(createdListOf(root), 'utf8')) as string[];
  } catch {
    return; // the state directory was there before pvpn-gen: leave it
  }
  port.unlink(createdListOf(root));
  lock.release({ remove: true });
  for (const dir of [...created].sort((a, b) => b.length - a.length).map((d) => root + d)) {
    try {
      port.rmdir(dir);
      port.fsyncDir(dirname(dir));
    } catch {
      // something else lives there now: leave it
    }
  }
}

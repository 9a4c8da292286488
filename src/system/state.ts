/**
 * pvpn-gen's own state under <root>/var/lib/pvpn-gen: manifests/<project>.json, journal.json, lock, and
 * created-directories.json, which lists the directories pvpn-gen made for all this, so that uninstalling the last
 * project leaves the root exactly as it was.
 */
import { dirname } from 'node:path';
import { createdListOf, isPlainAbsolute, journalPathOf, manifestsDirOf, stateDirOf } from '../plan/state-paths.js';
import { atomicWriteFile, ensureDirectory } from './atomic.js';
import { exists as pathExists, type System } from './port.js';
import type { HeldLock } from './lock.js';

/** Creates the state directory if it is not there yet; returns the directories that took (as install paths). */
export function ensureStateDir(root: string, port: System): string[] {
  const manifests = manifestsDirOf(root);
  if (pathExists(port, manifests)) return [];
  return ensureDirectory(port, manifests).map((dir) => dir.slice(root.length));
}

/**
 * Records directories made for the state directory, merged with what is recorded already. Called under the lock
 * (two first runs may each create some of the parents; both records must survive).
 */
export function recordStateDirectories(root: string, port: System, created: readonly string[]): void {
  if (created.length === 0) return;
  const recorded = readCreatedList(port, root) ?? [];
  const merged = [...new Set([...recorded, ...created])].sort();
  atomicWriteFile(port, createdListOf(root), JSON.stringify(merged) + '\n', 0o644);
}

/**
 * After the last project is uninstalled: the state directory and every directory made for it go, so the root is
 * as it was before the first install. Runs while holding the lock; the lock file goes just before its directory
 * (unlinking a held lock is safe: see acquireLock).
 */
export function removeStateIfUnused(root: string, port: System, lock: HeldLock): void {
  const manifests = manifestsDirOf(root);
  if (!pathExists(port, manifests) || (port.list(manifests) ?? []).length > 0 || pathExists(port, journalPathOf(root))) return;
  const created = readCreatedList(port, root);
  if (created === null) return; // the state directory was there before pvpn-gen (or its record is damaged): leave it
  removeEmptySubdirectories(root, port);
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

/** The directories pvpn-gen made for its state, or null when there is no (valid) record of them. */
function readCreatedList(port: System, root: string): string[] | null {
  try {
    const list = JSON.parse(port.read(createdListOf(root))?.toString('utf8') ?? '') as unknown;
    return Array.isArray(list) && list.every(isPlainAbsolute) ? list : null;
  } catch {
    return null;
  }
}

/**
 * Directories the targets' scripts keep in the state directory (runit's runs/): their files went with their services
 * (Target.leftovers), so they are empty now; one that is not stays, and so does the state directory.
 */
function removeEmptySubdirectories(root: string, port: System): void {
  const dir = stateDirOf(root);
  for (const name of port.list(dir) ?? []) {
    const path = `${dir}/${name}`;
    if (port.info(path)?.type !== 'directory' || path === manifestsDirOf(root)) continue;
    try {
      port.rmdir(path);
    } catch {
      // not empty: leave it
    }
  }
}

/**
 * Atomic replacement of single files and links on top of a System, for commands that need no journal
 * (render --out, init). install uses the journaled transaction in transaction.ts instead.
 */
import { dirname } from 'node:path';
import { siblingPath } from '../plan/state-paths.js';
import type { WritePort } from './fs-write.js';
import type { Reader } from './reader.js';

/** Writing, and the reading it needs to know which directories to make. */
type Files = WritePort & Reader;

let counter = 0;

/** A temp name for one atomic replacement, unique within this process. */
function tempPathFor(path: string): string {
  return siblingPath(path, `tmp-${process.pid}-${++counter}`);
}

/**
 * Creates missing parent directories, outermost first; returns the ones it created. A directory another process
 * creates at the same moment is fine (EEXIST): it is just not ours.
 */
export function ensureDirectory(port: Files, dir: string, mode = 0o755): string[] {
  const missing: string[] = [];
  // lstat, not stat: a dangling link on the way must not look like a place to create a directory
  for (let d = dir; port.info(d) === null; d = dirname(d)) missing.unshift(d);
  const created: string[] = [];
  for (const d of missing) {
    try {
      port.mkdir(d, mode);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST' && port.info(d)?.type === 'directory') continue;
      throw error;
    }
    port.fsyncDir(dirname(d));
    created.push(d);
  }
  return created;
}

export function atomicWriteFile(port: Files, path: string, content: string, mode: number): void {
  ensureDirectory(port, dirname(path));
  const temp = tempPathFor(path);
  port.writeNew(temp, content, mode);
  port.rename(temp, path);
  port.fsyncDir(dirname(path));
}

export function atomicSymlink(port: Files, path: string, target: string): void {
  ensureDirectory(port, dirname(path));
  const temp = tempPathFor(path);
  port.symlinkNew(temp, target);
  port.rename(temp, path);
  port.fsyncDir(dirname(path));
}

/**
 * Replaces an existing file with new content, keeping its mode and (when it may: as root) its owner, so that
 * editing a user's file with sudo leaves it the user's. The temp file sits beside it; the rename is the commit.
 */
export function atomicReplaceFile(port: Files, path: string, content: string, keep: { mode: number; uid: number; gid: number }): void {
  const temp = tempPathFor(path);
  port.writeNew(temp, content, keep.mode);
  try {
    if (process.geteuid?.() === 0) port.chown(temp, keep.uid, keep.gid);
    port.rename(temp, path);
  } catch (error) {
    port.unlink(temp);
    throw error;
  }
  port.fsyncDir(dirname(path));
}

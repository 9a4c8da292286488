/**
 * Atomic replacement of single files and links on top of a WritePort, for commands that need no journal
 * (render --out, init). install uses the journaled transaction in transaction.ts instead.
 */
import { existsSync, lstatSync } from 'node:fs';
import { dirname } from 'node:path';
import { siblingPath } from '../plan/state-paths.js';
import type { WritePort } from './fs-write.js';

let counter = 0;

/** A temp name for one atomic replacement, unique within this process. */
function tempPathFor(path: string): string {
  return siblingPath(path, `tmp-${process.pid}-${++counter}`);
}

/**
 * Creates missing parent directories, outermost first; returns the ones it created. A directory another process
 * creates at the same moment is fine (EEXIST): it is just not ours.
 */
export function ensureDirectory(port: WritePort, dir: string, mode = 0o755): string[] {
  const missing: string[] = [];
  for (let d = dir; !existsSync(d); d = dirname(d)) missing.unshift(d);
  const created: string[] = [];
  for (const d of missing) {
    try {
      port.mkdir(d, mode);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST' && !isNonDirectory(d)) continue;
      throw error;
    }
    port.fsyncDir(dirname(d));
    created.push(d);
  }
  return created;
}

export function atomicWriteFile(port: WritePort, path: string, content: string, mode: number): void {
  ensureDirectory(port, dirname(path));
  const temp = tempPathFor(path);
  port.writeNew(temp, content, mode);
  port.rename(temp, path);
  port.fsyncDir(dirname(path));
}

export function atomicSymlink(port: WritePort, path: string, target: string): void {
  ensureDirectory(port, dirname(path));
  const temp = tempPathFor(path);
  port.symlinkNew(temp, target);
  port.rename(temp, path);
  port.fsyncDir(dirname(path));
}

/** True when something that is not a directory stands at `path` (lstat: a link is never followed). */
export function isNonDirectory(path: string): boolean {
  try {
    return !lstatSync(path).isDirectory();
  } catch {
    return false;
  }
}

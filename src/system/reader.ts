/**
 * Reading the machine (lstat, files, directories, links), apart from the rest of the System port: the commands that
 * only read and write files (render --out, init) need no process machinery at start-up.
 */
import { lstatSync, readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { OperationError } from '../errors.js';

/** What lstat tells, as much as pvpn-gen asks: the kind, permission bits (with setuid/setgid/sticky), the owner. */
export interface PathInfo {
  readonly type: 'file' | 'directory' | 'symlink' | 'other';
  readonly mode: number;
  readonly uid: number;
}

export interface Reader {
  /** lstat: never follows the last component; null when nothing is there (or a component on the way is not a directory) */
  info(path: string): PathInfo | null;
  /** a file's bytes, or null when it is missing */
  read(path: string): Buffer | null;
  readlink(path: string): string;
  /** a directory's entry names, or null when it is missing */
  list(path: string): string[] | null;
}

const missing = (error: unknown) => {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
};

export const realReader: Reader = {
  info(path) {
    let stat;
    try {
      // throwIfNoEntry: a missing path is the common case of a first install; an exception per path costs 10x more
      stat = lstatSync(path, { throwIfNoEntry: false });
    } catch (error) {
      if (missing(error)) return null;
      throw new OperationError(`cannot inspect ${path}: ${(error as Error).message}`);
    }
    if (stat === undefined) return null;
    const type = stat.isSymbolicLink() ? 'symlink' : stat.isDirectory() ? 'directory' : stat.isFile() ? 'file' : 'other';
    return { type, mode: stat.mode & 0o7777, uid: stat.uid };
  },
  read(path) {
    try {
      return readFileSync(path);
    } catch (error) {
      if (missing(error)) return null;
      throw new OperationError(`cannot read ${path}: ${(error as Error).message}`);
    }
  },
  readlink: (path) => readlinkSync(path),
  list(path) {
    try {
      return readdirSync(path);
    } catch (error) {
      if (missing(error)) return null;
      throw new OperationError(`cannot read ${path}: ${(error as Error).message}`);
    }
  },
};

/** Whether anything (a dangling link too) stands at `path`. */
export function exists(reader: Reader, path: string): boolean {
  return reader.info(path) !== null;
}

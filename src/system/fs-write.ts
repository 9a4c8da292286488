/**
 * The one module that changes the file system. Every other module describes changes as data and hands them here.
 *
 * Each primitive is one step a crash can interrupt; callers order them so that any interruption leaves either the
 * old or the new content at every path (temp file in the target's own directory, mode set before the data, fsync,
 * rename, then fsync of the directory so the rename itself is durable).
 *
 * A `WritePort` is an interface so that the transaction, recovery and state code never call node:fs themselves; the
 * crash tests kill the process inside these primitives (PVPN_GEN_TEST_KILL_AT). --dry-run plans with the same code
 * and lists the journal's steps (buildOps) instead of carrying them out.
 */
import {
  closeSync,
  fchmodSync,
  fsyncSync,
  mkdirSync,
  openSync,
  renameSync,
  rmdirSync,
  symlinkSync,
  unlinkSync,
  writeSync,
  constants,
  lchownSync,
  chmodSync,
  ftruncateSync,
  linkSync,
  rmSync,
} from 'node:fs';
import { open, symlink } from 'node:fs/promises';

export interface WritePort {
  /** create one directory level (parent must exist) */
  mkdir(path: string, mode: number): void;
  /** write a new file that must not exist yet (O_EXCL), mode first, data, fsync */
  writeNew(path: string, content: string | Uint8Array, mode: number): void;
  /** a new symlink that must not exist yet */
  symlinkNew(path: string, target: string): void;
  /** atomic replace of `to` by `from` (same directory) */
  rename(from: string, to: string): void;
  unlink(path: string): void;
  rmdir(path: string): void;
  /** make a directory's entries (creations, renames, removals) durable */
  fsyncDir(path: string): void;
  chmod(path: string, mode: number): void;
  chown(path: string, uid: number, gid: number): void;
  /** a second name for a file (backups: the old file stays complete at all times) */
  link(existing: string, newPath: string): void;
  /** delete a directory tree that runsv created (supervise/); never used on anything pvpn-gen did not create */
  removeTree(path: string): void;
  /**
   * Many new files and links at once, each as writeNew/symlinkNew, several in flight: their fsyncs overlap, which
   * is where the time of writing thousands of files goes. Only for temps no one reads until a later commit.
   */
  writeNewMany(items: readonly NewItem[]): Promise<void>;
}

export type NewItem = { readonly path: string; readonly content: string; readonly mode: number } | { readonly path: string; readonly target: string };

/** How many files are written at once (the libuv thread pool is sized to match, see cli/entry.ts). */
export const WRITES_IN_FLIGHT = 16;

/**
 * Crash tests kill the process at the N-th mutating step (test/system/crash.test.ts). Reading the variable once at
 * start-up keeps the cost at one comparison per step.
 */
const killAt = Number(process.env.PVPN_GEN_TEST_KILL_AT ?? '0');
let steps = 0;
function step(): void {
  steps++;
  if (killAt > 0 && steps === killAt) process.kill(process.pid, 'SIGKILL');
}

/** A new file: never an existing one (O_EXCL), never through a symlink; 0600 until its own mode is set. */
const NEW_FILE_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

// writeNew and writeNewMany take the same steps in the same order (open, mode, data, fsync: the crash tests count
// them), once with node:fs's sync calls and once with its FileHandle, which is what lets writes overlap.
export const realWritePort: WritePort = {
  mkdir(path, mode) {
    step();
    mkdirSync(path, { mode });
    chmodSync(path, mode); // mkdir's mode is filtered by the umask; the spec'd mode is not
  },
  writeNew(path, content, mode) {
    step();
    const fd = openSync(path, NEW_FILE_FLAGS, 0o600);
    try {
      fchmodSync(fd, mode);
      step();
      const data = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
      let offset = 0;
      while (offset < data.length) offset += writeSync(fd, data, offset, data.length - offset);
      step();
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  },
  symlinkNew(path, target) {
    step();
    symlinkSync(target, path);
  },
  rename(from, to) {
    step();
    renameSync(from, to);
  },
  unlink(path) {
    step();
    unlinkSync(path);
  },
  rmdir(path) {
    step();
    rmdirSync(path);
  },
  fsyncDir(path) {
    step();
    const fd = openSync(path, constants.O_RDONLY | constants.O_DIRECTORY);
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  },
  chmod(path, mode) {
    step();
    chmodSync(path, mode);
  },
  chown(path, uid, gid) {
    step();
    lchownSync(path, uid, gid);
  },
  link(existing, newPath) {
    step();
    linkSync(existing, newPath);
  },
  removeTree(path) {
    step();
    // runsv may still be writing into supervise/ as it exits: retry a directory that fills up again under us
    rmSync(path, { recursive: true, force: true, maxRetries: 5 });
  },
  async writeNewMany(items) {
    let next = 0;
    let failure: unknown;
    const writeOne = async (item: NewItem) => {
      if ('target' in item) {
        step();
        await symlink(item.target, item.path);
        return;
      }
      step();
      const handle = await open(item.path, NEW_FILE_FLAGS, 0o600);
      try {
        await handle.chmod(item.mode);
        step();
        await handle.writeFile(item.content, 'utf8');
        step();
        await handle.sync();
      } finally {
        await handle.close();
      }
    };
    // Every worker stops at the first failure, and all have stopped before this returns: a rollback that follows
    // must not race a write still in flight.
    const worker = async () => {
      for (let i = next++; i < items.length && failure === undefined; i = next++) {
        const item = items[i] as NewItem;
        try {
          await writeOne(item);
        } catch (error) {
          // a FileHandle's errors do not say which file: the message must
          (error as NodeJS.ErrnoException).path ??= item.path;
          failure ??= error;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(WRITES_IN_FLIGHT, items.length) }, worker));
    if (failure !== undefined) throw failure;
  },
};

/** The lock file: opened (created if needed) for flock, never following a symlink an attacker may have put there. */
export function openLockFile(path: string): number {
  return openSync(path, constants.O_RDWR | constants.O_CREAT | constants.O_NOFOLLOW, 0o600);
}

/** Replace the whole content of an open file (the lock holder's pid). */
export function rewriteOpenFile(fd: number, text: string): void {
  ftruncateSync(fd, 0);
  writeSync(fd, text, 0);
}

/**
 * The one module that changes the file system. Every other module describes changes as data and hands them here.
 *
 * Each primitive is one step a crash can interrupt; callers order them so that any interruption leaves either the
 * old or the new content at every path (temp file in the target's own directory, mode set before the data, fsync,
 * rename, then fsync of the directory so the rename itself is durable).
 *
 * A `WritePort` is an interface so that --dry-run runs the very same code with a port that only records.
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
}

/**
 * Crash tests kill the process at the N-th mutating step (test/apply/crash.test.ts). Reading the variable once at
 * start-up keeps the cost at one comparison per step.
 */
const killAt = Number(process.env.PVPN_GEN_TEST_KILL_AT ?? '0');
let steps = 0;
function step(): void {
  steps++;
  if (killAt > 0 && steps === killAt) process.kill(process.pid, 'SIGKILL');
}

export const realWritePort: WritePort = {
  mkdir(path, mode) {
    step();
    mkdirSync(path, { mode });
    chmodSync(path, mode); // mkdir's mode is filtered by the umask; the spec'd mode is not
  },
  writeNew(path, content, mode) {
    step();
    const fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
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
    rmSync(path, { recursive: true, force: true });
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

/** --dry-run: the same calls, recorded and not carried out. */
export function recordingWritePort(log: string[]): WritePort {
  return {
    mkdir: (path, mode) => void log.push(`mkdir ${mode.toString(8)} ${path}`),
    writeNew: (path, _content, mode) => void log.push(`write ${mode.toString(8)} ${path}`),
    symlinkNew: (path, target) => void log.push(`symlink ${path} -> ${target}`),
    rename: (from, to) => void log.push(`rename ${from} ${to}`),
    unlink: (path) => void log.push(`unlink ${path}`),
    rmdir: (path) => void log.push(`rmdir ${path}`),
    fsyncDir: () => undefined,
    chmod: (path, mode) => void log.push(`chmod ${mode.toString(8)} ${path}`),
    chown: (path, uid, gid) => void log.push(`chown ${uid}:${gid} ${path}`),
    link: (existing, newPath) => void log.push(`link ${existing} ${newPath}`),
    removeTree: (path) => void log.push(`remove-tree ${path}`),
  };
}

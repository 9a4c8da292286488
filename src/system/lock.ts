/**
 * The kernel lock against concurrent runs: flock(2) on <state>/lock. Node has no flock, so flock(1) takes it on our
 * open file description (handed over as fd 3); the lock belongs to that description and stays with us after the
 * child exits, until we close the file or die, whichever comes first: a killed run never leaves a stale lock.
 */
import { closeSync, fstatSync, readFileSync, statSync } from 'node:fs';
import { openLockFile, realWritePort, rewriteOpenFile } from './fs-write.js';
import { LockedError, OperationError } from '../errors.js';
import { runProcess } from './exec.js';

export interface HeldLock {
  readonly path: string;
  /** release; with `remove`, also delete the lock file (only safe while holding it, see acquireLock) */
  release(options?: { remove?: boolean }): void;
}

export interface LockOptions {
  /** how long to wait for another run, in seconds (0: refuse at once) */
  readonly waitSeconds: number;
  /** told once when another run holds the lock and we start waiting */
  readonly onWait?: (holder: string) => void;
}

async function flock(fd: number, waitSeconds: number | null): Promise<boolean> {
  const args = waitSeconds === null ? ['--exclusive', '--nonblock', '3'] : ['--exclusive', '--wait', String(waitSeconds), '3'];
  const result = await runProcess('flock', args, { extraFds: [fd] });
  if (result.exitCode === 0) return true;
  if (result.exitCode === 1) return false;
  throw new OperationError(`flock failed (exit ${result.exitCode}): ${result.stderr.trim()}`);
}

/**
 * Who holds the lock, for the message: the holder writes its pid right after taking the lock and empties the file
 * before letting go, so an empty file means a run that has only just taken it; give it a moment to write.
 */
async function holderOf(path: string): Promise<string> {
  for (let attempt = 0; attempt < 10; attempt++) {
    let text = '';
    try {
      text = readFileSync(path, 'utf8').trim();
    } catch {
      return 'another process';
    }
    if (text) return `pid ${text}`;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return 'another process';
}

export async function acquireLock(path: string, options: LockOptions): Promise<HeldLock> {
  for (;;) {
    const fd = openLockFile(path);
    let locked = await flock(fd, null);
    if (!locked) {
      const holder = await holderOf(path);
      if (options.waitSeconds <= 0) {
        closeSync(fd);
        throw new LockedError(`another pvpn-gen run (${holder}) is changing this system; wait for it to finish and run again`);
      }
      options.onWait?.(holder);
      locked = await flock(fd, options.waitSeconds);
      if (!locked) {
        closeSync(fd);
        throw new LockedError(`another pvpn-gen run (${holder}) still holds ${path} after ${options.waitSeconds}s; try again later`);
      }
    }
    // The file may have been removed (a finished uninstall does that) between our open and our lock: then we hold a
    // lock nobody else will look at. Start over with the file that is there now.
    let current: number | undefined;
    try {
      current = statSync(path).ino;
    } catch {
      current = undefined;
    }
    if (current !== fstatSync(fd).ino) {
      closeSync(fd);
      continue;
    }
    rewriteOpenFile(fd, `${process.pid}\n`);
    let released = false;
    return {
      path,
      release(releaseOptions = {}) {
        if (released) return;
        released = true;
        if (releaseOptions.remove) {
          try {
            realWritePort.unlink(path);
          } catch {
            // already gone: nothing to clean up
          }
        } else {
          try {
            // no stale pid for the next run's waiters to name (see holderOf)
            rewriteOpenFile(fd, '');
          } catch {
            // the message would only name a finished run
          }
        }
        closeSync(fd);
      },
    };
  }
}

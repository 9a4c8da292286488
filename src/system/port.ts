/**
 * The one port for every effect pvpn-gen has on a machine: reading (info, read, list), writing (the WritePort
 * steps of fs-write.ts, each one step a crash can interrupt), running programs, and the clock. Install, uninstall,
 * diff and --dry-run all go through a System: the real one (node:fs, exec.ts, Date) or the dry-run decorator
 * (dry-run.ts), which reads through and records what it would write and run, so a dry run executes the very code
 * an install does.
 */
import { runProcess, type ProcessResult, type RunOptions } from './exec.js';
import { realWritePort, type WritePort } from './fs-write.js';
import { realReader, type Reader } from './reader.js';

export { exists, realReader, type PathInfo, type Reader } from './reader.js';

export interface System extends WritePort, Reader {
  /** a program, to completion */
  run(file: string, args: readonly string[], options?: RunOptions): Promise<ProcessResult>;
  /** milliseconds since the epoch */
  now(): number;
  /** polls `condition` until it holds (true) or `timeoutMs` passes (false); `describe` says what for */
  waitUntil(describe: string, condition: () => boolean, timeoutMs: number): Promise<boolean>;
  /** true for the dry-run decorator: it records instead of acting (callers say "would") */
  readonly dryRun: boolean;
}

export const realSystem: System = {
  ...realWritePort,
  ...realReader,
  run: runProcess,
  now: () => Date.now(),
  async waitUntil(_describe, condition, timeoutMs) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (condition()) return true;
      if (Date.now() > deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  },
  dryRun: false,
};

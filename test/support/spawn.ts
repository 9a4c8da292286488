/**
 * The one spawn-and-capture of the tests: runs a program, feeds it its input, collects its output as bytes (decoded
 * once at the end, so that a UTF-8 character split across two reads stays whole) and kills it after a timeout.
 */
import { spawn, type StdioOptions } from 'node:child_process';

export interface Captured {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** killed by the timeout */
  readonly timedOut: boolean;
}

export interface CaptureOptions {
  /** written to stdin, then closed; without it stdin is /dev/null */
  readonly input?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly timeoutMs?: number;
  /** an open descriptor the child gets as its fd 3 (the probe writes its record there) */
  readonly fd3?: number;
  /** its own process group, so that the timeout kills everything it started, not just the program */
  readonly ownGroup?: boolean;
}

export function spawnCapture(file: string, args: readonly string[], options: CaptureOptions = {}): Promise<Captured> {
  return new Promise((resolve, reject) => {
    const stdio: StdioOptions = [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'];
    if (options.fd3 !== undefined) stdio.push(options.fd3);
    const child = spawn(file, args, { stdio, ...(options.env ? { env: options.env } : {}), detached: options.ownGroup ?? false });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on('data', (b: Buffer) => out.push(b));
    child.stderr?.on('data', (b: Buffer) => err.push(b));
    let timedOut = false;
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            try {
              if (options.ownGroup) process.kill(-(child.pid ?? 0), 'SIGKILL');
              else child.kill('SIGKILL');
            } catch {
              child.kill('SIGKILL');
            }
          }, options.timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), timedOut });
    });
    if (options.input !== undefined && child.stdin) {
      // a program that does not read its input may exit before it is all written: that is fine
      child.stdin.on('error', () => {});
      child.stdin.end(options.input);
    }
  });
}

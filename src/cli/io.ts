import { fstatSync, writeSync } from 'node:fs';

/** What a command may touch of its process: streams, directory, environment. Tests pass their own. */
export interface Io {
  readonly stdout: { write(text: string): unknown; isTTY?: boolean };
  readonly stderr: { write(text: string): unknown; isTTY?: boolean };
  readonly stdin?: NodeJS.ReadableStream & { isTTY?: boolean };
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/**
 * Writes straight to a file descriptor: a short run that prints and exits never loads Node's stream machinery (a
 * dozen internal modules). A pipe that is full (EAGAIN) hands the rest, in order, to the process's stream.
 */
function fdWriter(fd: 1 | 2, stream: () => NodeJS.WriteStream): Io['stdout'] {
  let fallback = false;
  return {
    write(text: string) {
      if (fallback) return stream().write(text);
      const data = Buffer.from(text, 'utf8');
      let offset = 0;
      try {
        while (offset < data.length) offset += writeSync(fd, data, offset, data.length - offset);
        return true;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
        fallback = true;
        return stream().write(data.subarray(offset));
      }
    },
    get isTTY() {
      return isTerminal(fd);
    },
  };
}

/** /dev/null and /dev/zero (1:3, 1:5): character devices, as terminals are, but never terminals */
const NOT_TERMINALS = new Set([(1 << 8) | 3, (1 << 8) | 5]);

/**
 * isatty(fd), without loading node:tty (it pulls in net and the stream machinery: ~2 ms) when fstat already tells:
 * only a character device can be a terminal, and output sent to /dev/null (CI, benchmarks) is not one.
 */
export function isTerminal(fd: number): boolean {
  try {
    const stat = fstatSync(fd);
    if (!stat.isCharacterDevice() || NOT_TERMINALS.has(stat.rdev)) return false;
  } catch {
    return false; // a closed descriptor is no terminal
  }
  return process.getBuiltinModule('node:tty').isatty(fd);
}

export function processIo(): Io {
  // Getters: touching process.stdout/stderr/stdin sets up a stream (a few ms at start-up); a run that prints no
  // warning never needs stderr, and only the commands that ask a question need stdin.
  return {
    stdout: fdWriter(1, () => process.stdout),
    stderr: fdWriter(2, () => process.stderr),
    get stdin() {
      return process.stdin;
    },
    cwd: process.cwd(),
    env: process.env,
  };
}

/** Global options every command understands. */
export interface GlobalOptions {
  readonly spec?: string;
  readonly variant?: string;
  readonly verbose?: boolean;
  readonly strict?: boolean;
  readonly allowCodeConfig?: boolean;
}

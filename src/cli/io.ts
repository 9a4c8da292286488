/** What a command may touch of its process: streams, directory, environment. Tests pass their own. */
export interface Io {
  readonly stdout: { write(text: string): unknown; isTTY?: boolean };
  readonly stderr: { write(text: string): unknown; isTTY?: boolean };
  readonly stdin?: NodeJS.ReadableStream & { isTTY?: boolean };
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
}

export function processIo(): Io {
  // Getters: touching process.stdout/stderr/stdin sets up a stream (a few ms at start-up); a run that prints no
  // warning never needs stderr, and only the commands that ask a question need stdin.
  return {
    get stdout() {
      return process.stdout;
    },
    get stderr() {
      return process.stderr;
    },
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
  readonly verbose?: boolean;
  readonly strict?: boolean;
  readonly allowCodeConfig?: boolean;
}

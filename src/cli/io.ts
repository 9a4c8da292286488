/** What a command may touch of its process: streams, directory, environment. Tests pass their own. */
export interface Io {
  readonly stdout: { write(text: string): unknown; isTTY?: boolean };
  readonly stderr: { write(text: string): unknown; isTTY?: boolean };
  readonly stdin?: NodeJS.ReadableStream & { isTTY?: boolean };
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
}

export function processIo(): Io {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    // a getter: touching process.stdin sets up a stream, which only the commands that ask a question need
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

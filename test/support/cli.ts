/** Runs the CLI in-process with captured streams: fast, and the exact code path of bin/pvpn-gen.js. */
import { runCli } from '../../src/cli/main.js';
import type { Io } from '../../src/cli/io.js';

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export async function cli(argv: readonly string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const io: Io = {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    cwd: options.cwd ?? process.cwd(),
    env: { ...process.env, ...options.env },
  };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}

/**
 * The one module that starts processes. Always an argv array, never a shell string; execa is loaded on first use,
 * so commands that spawn nothing never pay for it.
 */
import { OperationError } from '../errors.js';

export interface ProcessResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  /** the signal that ended it, if any */
  readonly signal?: string | undefined;
}

export interface RunOptions {
  readonly timeoutMs?: number;
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** extra file descriptors handed to the child as fd 3, 4, ... */
  readonly extraFds?: readonly number[];
  readonly input?: string;
  /** a question that changes nothing (getent, pgrep): a dry run asks it too */
  readonly query?: boolean;
}

let execaModule: typeof import('execa') | undefined;

/** Runs a program to completion. A program that cannot be found is an OperationError naming it. */
export async function runProcess(file: string, args: readonly string[], options: RunOptions = {}): Promise<ProcessResult> {
  execaModule ??= await import('execa');
  const stdin = options.input === undefined ? 'ignore' : 'pipe';
  const result = await execaModule.execa(file, args, {
    reject: false,
    ...(options.input === undefined ? {} : { input: options.input }),
    ...(options.extraFds ? { stdio: [stdin, 'pipe', 'pipe', ...options.extraFds] } : { stdin }),
    timeout: options.timeoutMs,
    env: options.env ? { ...options.env } : undefined,
    extendEnv: options.env === undefined,
    stripFinalNewline: false,
  } as import('execa').Options);
  if (result.failed && (result as { code?: string }).code === 'ENOENT') {
    throw new OperationError(`${file} not found; install it, or check PATH`);
  }
  return {
    exitCode: result.exitCode ?? (result.signal ? 128 : 1),
    stdout: String(result.stdout ?? ''),
    stderr: String(result.stderr ?? ''),
    signal: result.signal ?? undefined,
  };
}

/** Runs a program with its output going straight to ours (logs -f). Resolves with its exit code. */
export async function runAttached(file: string, args: readonly string[]): Promise<number> {
  execaModule ??= await import('execa');
  const result = await execaModule.execa(file, args, { reject: false, stdio: 'inherit' });
  if (result.failed && (result as { code?: string }).code === 'ENOENT') throw new OperationError(`${file} not found; install it, or check PATH`);
  return result.exitCode ?? 1;
}

/**
 * Runs a program with its standard output handed, decoded, to `write` (stderr goes straight to ours): `logs` on a
 * terminal, which escapes what the job wrote. Resolves with its exit code.
 */
export async function runFiltered(file: string, args: readonly string[], write: (text: string) => void): Promise<number> {
  execaModule ??= await import('execa');
  const child = execaModule.execa(file, args, { reject: false, stdin: 'inherit', stdout: 'pipe', stderr: 'inherit', buffer: false });
  const decoder = new TextDecoder();
  child.stdout?.on('data', (chunk: Uint8Array) => write(decoder.decode(chunk, { stream: true })));
  const result = await child;
  write(decoder.decode());
  if (result.failed && (result as { code?: string }).code === 'ENOENT') throw new OperationError(`${file} not found; install it, or check PATH`);
  return result.exitCode ?? 1;
}

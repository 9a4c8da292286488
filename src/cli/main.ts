/**
 * Parses the command line (args.ts, from the command table), loads the one command module it needs, runs it, and
 * is the one place errors become messages and exit codes.
 */
import { isPvpnGenError, isSpecError } from '../errors.js';
import { formatProblem } from '../model/problem.js';
import { VERSION } from '../version.js';
import { parse } from './args.js';
import { COMMAND_TABLE } from './commands-table.js';
import { processIo, type Io } from './io.js';
import { loadCommandModule, type CommandModuleName } from './load-command.js';

type Run = (options: Record<string, unknown>, io: Io, args: string[]) => Promise<number>;

/** Runs the CLI; returns the exit code instead of exiting, so tests can call it in-process. */
export async function runCli(argv: readonly string[], io: Io = processIo()): Promise<number> {
  const verbose = argv.includes('--verbose') || argv.includes('-v');
  let errorExitCode: number | undefined;
  try {
    const parsed = parse(argv);
    if (parsed.kind === 'version') {
      io.stdout.write(VERSION + '\n');
      return 0;
    }
    if (parsed.kind === 'help') {
      io.stdout.write(parsed.text);
      return 0;
    }
    // the table says which module runs a command (control verbs share one); by default its own, export `run`
    const runBy = COMMAND_TABLE.find((c) => c.name === parsed.command)?.runBy;
    const [moduleName, exportName] = runBy ? [runBy.module, runBy.export] : [parsed.command as CommandModuleName, 'run'];
    const target = parsed.options.target;
    const module = await loadCommandModule(moduleName, typeof target === 'string' ? target : undefined);
    errorExitCode = module.errorExitCode as number | undefined;
    return await (module[exportName] as Run)(parsed.options, io, parsed.args);
  } catch (error) {
    const code = reportError(error, io, verbose);
    // diff exits 2 on any error, like diff(1)
    return errorExitCode ?? code;
  }
}

/** The one place errors become messages and exit codes. */
export function reportError(error: unknown, io: Io, verbose: boolean): number {
  if (isSpecError(error)) {
    for (const problem of error.problems) io.stderr.write(formatProblem(problem) + '\n');
    io.stderr.write(`pvpn-gen: ${error.message}; nothing was written\n`);
    return error.exitCode;
  }
  if (isPvpnGenError(error)) {
    io.stderr.write(`pvpn-gen: ${error.message}\n`);
    if (verbose && error.stack) io.stderr.write(error.stack + '\n');
    return error.exitCode;
  }
  // Not one of ours: a bug. Say so, and show where.
  const err = error as Error;
  io.stderr.write(`pvpn-gen: internal error: ${err?.message ?? String(error)}\n`);
  io.stderr.write(verbose && err?.stack ? err.stack + '\n' : 'run again with --verbose for details, and please report it\n');
  return 70; // EX_SOFTWARE
}

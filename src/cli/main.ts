/**
 * Parses the command line (args.ts, from the command list), loads the one command module it needs, runs it, and
 * is the one place errors become messages and exit codes, and the one place --version is answered.
 */
import { isPvpnGenError, isSpecError } from '../errors.js';
import { formatProblem } from '../model/problem.js';
import { VERSION } from '../version.js';
import { parse, type ParsedCommand } from './args.js';
import { COMMANDS } from './commands-table.js';
import type { CommandDef } from './define.js';
import { processIo, type Io } from './io.js';
import { errorDocument, writeJson } from './json.js';
import { loadCommandModule } from './load-command.js';

/** Runs the CLI; returns the exit code instead of exiting, so tests can call it in-process. */
export async function runCli(argv: readonly string[], io: Io = processIo()): Promise<number> {
  const verbose = argv.includes('--verbose') || argv.includes('-v');
  let errorExitCode: number | undefined;
  let jsonCommand: string | undefined;
  try {
    const parsed = parse(argv, COMMANDS);
    if (parsed.kind === 'version') {
      io.stdout.write(VERSION + '\n');
      return 0;
    }
    if (parsed.kind === 'help') {
      io.stdout.write(parsed.text);
      return 0;
    }
    errorExitCode = parsed.command.errorExitCode;
    if ((parsed.options as { json?: unknown }).json === true) jsonCommand = parsed.command.name;
    return await runCommand(parsed, io);
  } catch (error) {
    const code = reportError(error, io, verbose);
    // --json promises one document on stdout, failed runs included
    if (jsonCommand) writeJson(io, jsonCommand, errorDocument(error, errorExitCode ?? code));
    // diff exits 2 on any error, like diff(1)
    return errorExitCode ?? code;
  }
}

async function runCommand<D extends CommandDef>(parsed: ParsedCommand<D>, io: Io): Promise<number> {
  // a code cache per target: render --target systemd and --target runit compile different functions
  const target = (parsed.options as { target?: unknown }).target;
  const module = await loadCommandModule(parsed.command, typeof target === 'string' ? target : undefined);
  return module.run(parsed.options, io, parsed.args);
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

/**
 * The command table and the one top-level error handler. Each command lives in its own file and is imported only
 * when it runs, so `pvpn-gen --version` or `validate` never load listr2, execa or diff.
 */
import { Command, CommanderError, Option } from 'commander';
import { PvpnGenError, SpecError, UsageError } from '../errors.js';
import { formatProblem } from '../spec/problem.js';
import { VERSION } from '../version.js';
import { processIo, type GlobalOptions, type Io } from './io.js';

type Action = (options: Record<string, unknown>, io: Io, args: string[]) => Promise<number>;
/** A command module; `errorExitCode` replaces the usual codes for errors (diff exits 2 on any error, like diff(1)). */
interface CommandModule {
  run: Action;
  errorExitCode?: number;
}

/** Lazily imported command modules: `run(options, io, args)` returns the exit code. */
const COMMANDS: Record<string, () => Promise<CommandModule>> = {
  validate: () => import('./commands/validate.js'),
  render: () => import('./commands/render.js'),
  schema: () => import('./commands/schema.js'),
  init: () => import('./commands/init.js'),
  diff: () => import('./commands/diff.js'),
  install: () => import('./commands/install.js'),
  uninstall: () => import('./commands/uninstall.js'),
  status: () => import('./commands/status.js'),
  logs: () => import('./commands/logs.js'),
  detect: () => import('./commands/detect.js'),
  start: async () => ({ run: (await import('./commands/control.js')).start }),
  stop: async () => ({ run: (await import('./commands/control.js')).stop }),
  restart: async () => ({ run: (await import('./commands/control.js')).restart }),
  'run-now': async () => ({ run: (await import('./commands/control.js')).runNow }),
};

const targetOption = () => new Option('-t, --target <target>', 'systemd or runit').choices(['systemd', 'runit']);
const layoutOption = () =>
  new Option('-l, --layout <layout>', 'runit layout: where service directories and enable links live').choices(['artix', 'void', 'debian']);
const serviceOption = () => new Option('-s, --service <name...>', 'only these services (repeatable)');

function buildProgram(io: Io, setExit: (code: number) => void): Command {
  const program = new Command('pvpn-gen')
    .description('Turn one service spec into installed, supervised runit services or systemd units.')
    .version(VERSION, '-V, --version')
    .option('--spec <file>', 'the spec file (default: search pvpn-gen.yaml, .pvpn-genrc*, package.json upwards)')
    .option('--strict', 'treat warnings (settings a target cannot express exactly) as errors')
    .option('--allow-code-config', 'let the spec search find and run JavaScript config files')
    .option('-v, --verbose', 'more detail, and stack traces for errors')
    .showHelpAfterError('(run pvpn-gen --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });

  const action = (name: string) =>
    async function (this: Command, ...positional: unknown[]) {
      const args = positional.filter((p): p is string | string[] => typeof p === 'string' || Array.isArray(p)).flat();
      const options = { ...program.opts<GlobalOptions>(), ...this.opts() };
      const command = await (COMMANDS[name] as () => Promise<CommandModule>)();
      try {
        setExit(await command.run(options, io, args));
      } catch (error) {
        if (command.errorExitCode === undefined) throw error;
        reportError(error, io, Boolean(options.verbose));
        setExit(command.errorExitCode);
      }
    };

  program.command('validate').description('check the spec; exit 1 with every problem if it is invalid').addOption(targetOption()).action(action('validate'));
  program
    .command('render')
    .description('print the files a target needs (or write them under --out DIR)')
    .addOption(targetOption().makeOptionMandatory())
    .addOption(layoutOption())
    .addOption(serviceOption())
    .option('-o, --out <dir>', 'write each file at its install path under DIR, with its mode')
    .option('--templates <dir>', 'use the .hbs templates in DIR (same names as templates/) instead of the built-in ones')
    .action(action('render'));
  program.command('schema').description('print the JSON Schema of the spec (for editors and CI)').action(action('schema'));
  program
    .command('init')
    .description('write a commented starter spec (pvpn-gen.yaml, or the --spec path)')
    .option('-f, --force', 'replace an existing file')
    .action(action('init'));
  const rootOption = () => new Option('--root <dir>', 'work on a staging root (as DESTDIR): files, manifest and enable links under DIR, nothing started');
  const planTarget = () => new Option('-t, --target <target>', 'systemd, runit, or auto (detect)').choices(['systemd', 'runit', 'auto']);
  program
    .command('diff')
    .description('show what install would change, as a unified diff; exit 0 if nothing, 1 if something, 2 on error')
    .addOption(planTarget())
    .addOption(layoutOption())
    .addOption(rootOption())
    .addOption(serviceOption())
    .option('-f, --force', 'plan as install --force would')
    .action(action('diff'));
  const applyOptions = (command: Command) =>
    command
      .addOption(rootOption())
      .option('-y, --yes', 'do not ask (required when not on a terminal)')
      .option('-n, --dry-run', 'show the diff and the steps, write nothing')
      .option('-f, --force', 'take over foreign or changed files, keeping backups')
      .option('--lock-wait <seconds>', 'how long to wait for another pvpn-gen run (default 30)');
  applyOptions(
    program
      .command('install')
      .description('install, enable and start the services (sudo); atomic, journaled, recorded in a manifest')
      .addOption(planTarget())
      .addOption(layoutOption())
      .addOption(serviceOption())
      .option('--no-start', 'install and enable, but do not start or restart anything'),
  ).action(action('install'));
  applyOptions(
    program
      .command('uninstall')
      .description('stop, disable and remove what install recorded (all services, or the ones named)')
      .argument('[name...]', 'services to remove (default: all of the project)')
      .option('--project <name>', 'which installed project (default: the spec\'s, or the only one)'),
  ).action(action('uninstall'));
  const projectOption = () => new Option('--project <name>', 'only the services of this installed project');
  program
    .command('status')
    .description('enabled, running or waiting, last run (start, duration, exit status), skipped runs, next run')
    .argument('[name...]', 'services (default: all installed)')
    .option('--json', 'machine-readable output')
    .option('--runs', 'also list the recent runs')
    .addOption(projectOption())
    .action(action('status'));
  for (const [verb, what] of [
    ['start', 'start the services (periodic jobs: their schedule)'],
    ['stop', 'stop the services (and a run in progress)'],
    ['restart', 'restart the services'],
    ['run-now', 'run periodic jobs now, outside their schedule'],
  ] as const) {
    program.command(verb).description(what).argument('[name...]', 'services (default: all installed)').addOption(projectOption()).action(action(verb));
  }
  program
    .command('logs')
    .description('show a service\'s log (journalctl, or the svlogd current file)')
    .argument('[name]', 'the service (may be left out when only one is installed)')
    .option('-f, --follow', 'keep printing new lines')
    .option('-n, --lines <n>', 'how many lines (default 50)')
    .addOption(projectOption())
    .action(action('logs'));
  program.command('detect').description('show which init system runs here, and why').addOption(rootOption()).action(action('detect'));
  return program;
}

/** Runs the CLI; returns the exit code instead of exiting, so tests can call it in-process. */
export async function runCli(argv: readonly string[], io: Io = processIo()): Promise<number> {
  let exitCode = 0;
  const program = buildProgram(io, (code) => (exitCode = code));
  const verbose = argv.includes('--verbose') || argv.includes('-v');
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    return reportError(error, io, verbose);
  }
}

/** The one place errors become messages and exit codes. */
export function reportError(error: unknown, io: Io, verbose: boolean): number {
  if (error instanceof CommanderError) {
    // help and version are "errors" to commander's exitOverride; everything else it throws is a usage error
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return 0;
    return 2;
  }
  if (error instanceof SpecError) {
    for (const problem of error.problems) io.stderr.write(formatProblem(problem) + '\n');
    io.stderr.write(`pvpn-gen: ${error.message}; nothing was written\n`);
    return error.exitCode;
  }
  if (error instanceof PvpnGenError) {
    io.stderr.write(`pvpn-gen: ${error.message}\n`);
    if (verbose && error.stack) io.stderr.write(error.stack + '\n');
    return error instanceof UsageError ? 2 : error.exitCode;
  }
  // Not one of ours: a bug. Say so, and show where.
  const err = error as Error;
  io.stderr.write(`pvpn-gen: internal error: ${err?.message ?? String(error)}\n`);
  io.stderr.write(verbose && err?.stack ? err.stack + '\n' : 'run again with --verbose for details, and please report it\n');
  return 70; // EX_SOFTWARE
}

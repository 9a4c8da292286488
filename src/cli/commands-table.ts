/**
 * The command table: every command, its arguments and options, as data. The parser (args.ts) and the help text
 * are built from it; main.ts maps a parsed command to its module. Kept free of heavy imports so the start-up path
 * stays small (the targets' names are plain data).
 */
import { TARGET_LAYOUTS, TARGET_NAMES } from '../targets/names.js';
import type { CommandModuleName } from './load-command.js';

export interface OptionSpec {
  readonly name: string;
  readonly short?: string;
  /** takes a value (else a flag) */
  readonly value?: string;
  /** may be given several times, or with several values (`--service a b`) */
  readonly multiple?: boolean;
  readonly choices?: readonly string[];
  readonly required?: boolean;
  readonly help: string;
}

export interface CommandSpec {
  readonly name: string;
  /** the module (src/cli/commands/NAME.ts) and export that run it; default: the command's own name, `run` */
  readonly runBy?: { readonly module: CommandModuleName; readonly export: string };
  readonly help: string;
  /** e.g. `[name...]` */
  readonly args?: string;
  readonly options: readonly OptionSpec[];
}

export const GLOBAL_OPTIONS: readonly OptionSpec[] = [
  { name: 'spec', value: 'file', help: 'the spec file (default: search pvpn-gen.yaml, .pvpn-genrc*, package.json upwards)' },
  { name: 'strict', help: 'treat warnings (settings a target cannot express exactly) as errors' },
  { name: 'allow-code-config', help: 'run a JavaScript spec (found by the search or named by --spec)' },
  { name: 'verbose', short: 'v', help: 'more detail, and stack traces for errors' },
  { name: 'help', short: 'h', help: 'show help' },
  { name: 'version', short: 'V', help: 'show the version' },
];

const targets = TARGET_NAMES.join(', ');
const layouts = Object.entries(TARGET_LAYOUTS).filter(([, names]) => names.length > 0);
const target: OptionSpec = { name: 'target', short: 't', value: 'target', choices: TARGET_NAMES, help: `the init system: ${targets}` };
const planTarget: OptionSpec = { ...target, choices: [...TARGET_NAMES, 'auto'], help: `${targets}, or auto (detect; the default)` };
const layout: OptionSpec = {
  name: 'layout',
  short: 'l',
  value: 'layout',
  choices: [...new Set(layouts.flatMap(([, names]) => names))],
  help: `where service files and enable links live (${layouts.map(([name, names]) => `${name}: ${names.join(', ')}`).join('; ')})`,
};
const service: OptionSpec = { name: 'service', short: 's', value: 'name', multiple: true, help: 'only these services (repeatable)' };
const root: OptionSpec = { name: 'root', value: 'dir', help: 'work on a staging root (as DESTDIR): files, manifest and enable links under DIR, nothing started' };
const project: OptionSpec = { name: 'project', value: 'name', help: 'only the services of this installed project' };
const applying: readonly OptionSpec[] = [
  root,
  { name: 'yes', short: 'y', help: 'do not ask (required when not on a terminal)' },
  { name: 'dry-run', short: 'n', help: 'show the diff and the steps, write nothing' },
  { name: 'force', short: 'f', help: 'take over foreign or changed files, keeping backups' },
  { name: 'lock-wait', value: 'seconds', help: 'how long to wait for another pvpn-gen run (default 30)' },
];

export const COMMAND_TABLE: readonly CommandSpec[] = [
  { name: 'validate', help: 'check the spec; exit 1 with every problem if it is invalid', options: [target] },
  {
    name: 'render',
    help: 'print the files a target needs (or write them under --out DIR)',
    options: [
      { ...target, required: true },
      layout,
      service,
      { name: 'out', short: 'o', value: 'dir', help: 'write each file at its install path under DIR, with its mode' },
      { name: 'templates', value: 'dir', help: 'use the .hbs templates in DIR (same names as templates/) instead of the built-in ones' },
    ],
  },
  { name: 'schema', help: 'print the JSON Schema of the spec (for editors and CI)', options: [] },
  { name: 'init', help: 'write a commented starter spec (pvpn-gen.yaml, or the --spec path)', options: [{ name: 'force', short: 'f', help: 'replace an existing file' }] },
  {
    name: 'diff',
    help: 'show what install would change, as a unified diff; exit 0 if nothing, 1 if something, 2 on error',
    options: [planTarget, layout, root, service, { name: 'force', short: 'f', help: 'plan as install --force would' }],
  },
  {
    name: 'install',
    help: 'install, enable and start the services (sudo); atomic, journaled, recorded in a manifest',
    options: [planTarget, layout, service, ...applying, { name: 'no-start', help: 'install and enable, but do not start or restart anything' }],
  },
  {
    name: 'uninstall',
    args: '[name...]',
    help: 'stop, disable and remove what install recorded (all services, or the ones named)',
    options: [...applying, { ...project, help: "which installed project (default: the spec's, or the only one)" }],
  },
  {
    name: 'status',
    args: '[name...]',
    help: 'enabled, running or waiting, last run (start, duration, exit status), skipped runs, next run',
    options: [{ name: 'json', help: 'machine-readable output' }, { name: 'runs', help: 'also list the recent runs' }, project],
  },
  { name: 'start', runBy: { module: 'control', export: 'start' }, args: '[name...]', help: 'start the services (periodic jobs: their schedule)', options: [project] },
  { name: 'stop', runBy: { module: 'control', export: 'stop' }, args: '[name...]', help: 'stop the services (and a run in progress)', options: [project] },
  { name: 'restart', runBy: { module: 'control', export: 'restart' }, args: '[name...]', help: 'restart the services', options: [project] },
  { name: 'run-now', runBy: { module: 'control', export: 'runNow' }, args: '[name...]', help: 'run periodic jobs now, outside their schedule', options: [project] },
  {
    name: 'logs',
    args: '[name]',
    help: "show a service's log (journalctl, or the svlogd current file)",
    options: [{ name: 'follow', short: 'f', help: 'keep printing new lines' }, { name: 'lines', short: 'n', value: 'n', help: 'how many lines (default 50)' }, project],
  },
  { name: 'detect', help: 'show which init system runs here, and why', options: [root] },
];

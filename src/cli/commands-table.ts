/**
 * The command list: every command, its arguments and options, as typed data, in the order --help shows them.
 * It is the one list: the parser and the help (args.ts), the dev loader (load-command.ts: command NAME is
 * src/cli/commands/NAME.ts), the build (one bundle per command), the completions and the man page all read it.
 * Kept free of heavy imports so the start-up path stays small (the targets' names are plain data).
 */
import { TARGET_LAYOUTS, TARGET_NAMES } from '../targets/names.js';
import { defineCommand, defineOption, GLOBAL_OPTIONS, type CommandDef } from './define.js';

export { GLOBAL_OPTIONS };

const targets = TARGET_NAMES.join(', ');
const layouts = Object.entries(TARGET_LAYOUTS).filter(([, names]) => names.length > 0);
const target = defineOption({ type: 'choice', short: 't', value: 'target', choices: TARGET_NAMES, help: `the init system: ${targets}` });
const planTarget = defineOption({ ...target, choices: [...TARGET_NAMES, 'auto'], help: `${targets}, or auto (detect; the default)` });
const layout = defineOption({
  type: 'choice',
  short: 'l',
  value: 'layout',
  choices: [...new Set(layouts.flatMap(([, names]) => names))],
  help: `where service files and enable links live (${layouts.map(([name, names]) => `${name}: ${names.join(', ')}`).join('; ')})`,
});
const service = defineOption({ type: 'list', short: 's', value: 'name', complete: 'service', help: 'only these services (repeatable)' });
const root = defineOption({
  type: 'string',
  value: 'dir',
  complete: 'dir',
  help: 'work on a staging root (as DESTDIR): files, manifest and enable links under DIR, nothing started',
});
const project = defineOption({ type: 'string', value: 'name', help: 'only the services of this installed project' });
const applying = {
  root,
  yes: defineOption({ type: 'flag', short: 'y', help: 'do not ask (required when not on a terminal)' }),
  dryRun: defineOption({ type: 'flag', short: 'n', help: 'show the diff and the steps, write nothing' }),
  force: defineOption({ type: 'flag', short: 'f', help: 'take over foreign or changed files, keeping backups' }),
  lockWait: defineOption({ type: 'number', value: 'seconds', min: 0, default: 30, help: 'how long to wait for another pvpn-gen run' }),
} as const;
const json = defineOption({ type: 'flag', help: 'print one JSON document (schemaVersion 1, shapes in the README) on stdout; messages stay on stderr' });
const names = [{ name: 'name', optional: true, variadic: true, complete: 'service' }] as const;
const control = (name: string, help: string) => defineCommand({ name, args: names, help, options: { project } });

export const validate = defineCommand({ name: 'validate', help: 'check the spec; exit 1 with every problem if it is invalid', options: { target, json } });

export const render = defineCommand({
  name: 'render',
  help: 'print the files a target needs (or write them under --out DIR)',
  options: {
    target: { ...target, required: true },
    layout,
    service,
    out: defineOption({ type: 'string', short: 'o', value: 'dir', complete: 'dir', help: 'write each file at its install path under DIR, with its mode' }),
    templates: defineOption({ type: 'string', value: 'dir', complete: 'dir', help: 'use the .hbs templates in DIR (same names as templates/) instead of the built-in ones' }),
    json,
  },
});

export const exportCommand = defineCommand({
  name: 'export',
  args: [{ name: 'format' }],
  help: 'write the spec as an Ansible playbook and role for a fleet: export ansible --out DIR',
  details:
    'The role holds the files of every target and layout the spec renders to, exactly as rendered; each host gets those of its init system. README: "Fleet deploys with Ansible".',
  options: {
    out: defineOption({ type: 'string', short: 'o', value: 'dir', complete: 'dir', required: true, help: 'write the playbook and the role under DIR (new, empty, or an earlier export)' }),
    templates: defineOption({ type: 'string', value: 'dir', complete: 'dir', help: 'use the .hbs templates in DIR (same names as templates/) instead of the built-in ones' }),
  },
});

export const schema = defineCommand({ name: 'schema', help: 'print the JSON Schema of the spec (for editors and CI)', options: {} });

export const init = defineCommand({
  name: 'init',
  help: 'write a commented starter spec (pvpn-gen.yaml, or the --spec path)',
  options: { force: defineOption({ type: 'flag', short: 'f', help: 'replace an existing file' }) },
});

export const diff = defineCommand({
  name: 'diff',
  help: 'show what install would change, as a unified diff; exit 0 if nothing, 1 if something, 2 on error',
  options: { target: planTarget, layout, root, service, force: defineOption({ type: 'flag', short: 'f', help: 'plan as install --force would' }), json },
  errorExitCode: 2,
});

export const install = defineCommand({
  name: 'install',
  help: 'install, enable and start the services (sudo); atomic, journaled, recorded in a manifest',
  options: {
    target: planTarget,
    layout,
    service,
    ...applying,
    noStart: defineOption({ type: 'flag', help: 'install and enable, but do not start or restart anything' }),
  },
});

export const uninstall = defineCommand({
  name: 'uninstall',
  args: names,
  help: 'stop, disable and remove what install recorded (all services, or the ones named)',
  options: { ...applying, project: { ...project, help: "which installed project (default: the spec's, or the only one)" } },
});

export const status = defineCommand({
  name: 'status',
  args: names,
  help: 'enabled, running or waiting, last run (start, duration, exit status), skipped runs, next run',
  options: {
    json,
    runs: defineOption({ type: 'flag', help: 'also list the recent runs' }),
    project,
  },
});

export const start = control('start', 'start the services (periodic jobs: their schedule)');
export const stop = control('stop', 'stop the services (and a run in progress)');
export const restart = control('restart', 'restart the services');
export const runNow = control('run-now', 'run periodic jobs now, outside their schedule');

export const logs = defineCommand({
  name: 'logs',
  args: [{ name: 'name', optional: true, complete: 'service' }],
  help: "show a service's log (journalctl, or the svlogd current file)",
  options: {
    follow: defineOption({ type: 'flag', short: 'f', help: 'keep printing new lines' }),
    lines: defineOption({ type: 'number', short: 'n', value: 'n', integer: true, min: 0, default: 50, help: 'how many lines' }),
    project,
  },
});

export const detect = defineCommand({ name: 'detect', help: 'show which init system runs here, and why', options: { root, json } });

export const set = defineCommand({
  name: 'set',
  args: [
    { name: 'key', complete: 'field' },
    { name: 'value' },
  ],
  help: 'change one setting in the spec file, keeping its comments and layout (set protonvpn-updater.interval 2h)',
  details: [
    'KEY is SERVICE.FIELD[.SUBFIELD...] (or a top-level key: project, defaults.FIELD, services.NAME...); VALUE is read',
    'as YAML: 2h and /bin/true are strings, 5 a number, true a boolean, [a, b] a list. The result is validated before',
    'anything is written (an invalid value changes nothing and says why, at its place in the file); the file is',
    'replaced atomically. Then run pvpn-gen diff to see what install would change.',
  ].join('\n'),
  options: {},
});

export const unset = defineCommand({
  name: 'unset',
  args: [{ name: 'key', complete: 'field' }],
  help: 'remove one setting from the spec file (it falls back to its default), keeping comments and layout',
  options: {},
});

export const completion = defineCommand({
  name: 'completion',
  args: [{ name: 'shell', optional: true, complete: 'shell' }],
  help: 'print the completion script for bash, zsh or fish (to source or install; edits no rc file)',
  details: [
    'bash: pvpn-gen completion bash > ~/.local/share/bash-completion/completions/pvpn-gen',
    'zsh:  pvpn-gen completion zsh > ~/.zfunc/_pvpn-gen   (any directory of your $fpath)',
    'fish: pvpn-gen completion fish > ~/.config/fish/completions/pvpn-gen.fish',
  ].join('\n'),
  options: {
    list: defineOption({
      type: 'choice',
      value: 'what',
      choices: ['services', 'keys'],
      help: "print the spec's service names (or the keys set takes), one a line: what the scripts complete from",
    }),
  },
});

/** Every command, in the order of --help; command NAME runs the default export of src/cli/commands/NAME.ts. */
export const COMMANDS: readonly CommandDef[] = [validate, render, exportCommand, schema, init, set, unset, diff, install, uninstall, status, start, stop, restart, runNow, logs, detect, completion];

/**
 * Command-line parsing from the command table: a small parser of its own (node:util's parseArgs costs a millisecond
 * of start-up to load; a framework, ten). `--name value`, `--name=value`, `-n value`, repeated options, `--` ends
 * the options. Options come back camelCased (`--dry-run` -> dryRun); `--no-start` sets start: false.
 */
import { UsageError } from '../errors.js';
import { COMMAND_TABLE, GLOBAL_OPTIONS, type CommandSpec, type OptionSpec } from './commands-table.js';

export type Parsed =
  | { readonly kind: 'help'; readonly text: string }
  | { readonly kind: 'version' }
  | { readonly kind: 'command'; readonly command: string; readonly options: Record<string, unknown>; readonly args: string[] };

const camel = (name: string) => name.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());

/** Options and positionals of `args`, each option checked against `options`; throws a message for usage errors. */
function scan(args: readonly string[], options: readonly OptionSpec[]): { values: Record<string, unknown>; positionals: string[] } {
  const values: Record<string, unknown> = {};
  const positionals: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const token = args[i] as string;
    if (token === '--') {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (!token.startsWith('-') || token === '-') {
      positionals.push(token);
      continue;
    }
    const long = token.startsWith('--');
    const eq = long ? token.indexOf('=') : -1;
    const name = long ? token.slice(2, eq < 0 ? undefined : eq) : token.slice(1, 2);
    const option = options.find((o) => (long ? o.name === name : o.short === name));
    if (!option) throw new Error(`Unknown option '${long ? `--${name}` : `-${name}`}'`);
    let value: unknown = true;
    if (option.value) {
      value = eq >= 0 ? token.slice(eq + 1) : !long && token.length > 2 ? token.slice(2) : args[++i];
      if (value === undefined) throw new Error(`Option '--${option.name} <${option.value}>' needs a value`);
    } else if (eq >= 0 || (!long && token.length > 2)) {
      throw new Error(`Option '--${option.name}' takes no value`);
    }
    values[option.name] = option.multiple ? [...((values[option.name] as string[] | undefined) ?? []), value] : value;
  }
  return { values, positionals };
}

/** The first word that is neither an option nor the value of a global option. */
function commandIndex(argv: readonly string[]): number {
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i] ?? '';
    if (token === '--') return -1;
    if (!token.startsWith('-')) return i;
    const name = token.replace(/^--?/, '').split('=')[0];
    const option = GLOBAL_OPTIONS.find((o) => o.name === name || o.short === name);
    if (option?.value && !token.includes('=')) i++;
  }
  return -1;
}

export function parse(argv: readonly string[]): Parsed {
  const at = commandIndex(argv);
  const name = at >= 0 ? argv[at] : undefined;
  const spec = COMMAND_TABLE.find((c) => c.name === name);
  if (name !== undefined && !spec) throw new UsageError(`unknown command '${name}'; the commands are: ${COMMAND_TABLE.map((c) => c.name).join(', ')}`);
  const rest = at >= 0 ? [...argv.slice(0, at), ...argv.slice(at + 1)] : [...argv];
  const options = [...GLOBAL_OPTIONS, ...(spec?.options ?? [])];
  let values: Record<string, unknown>;
  let positionals: string[];
  try {
    ({ values, positionals } = scan(rest, options));
  } catch (error) {
    throw new UsageError(`${(error as Error).message}; see pvpn-gen ${spec ? `${spec.name} ` : ''}--help`);
  }
  if (values.version && !spec) return { kind: 'version' };
  if (values.help || !spec) return { kind: 'help', text: spec ? commandHelp(spec) : programHelp() };
  if (positionals.length > 0 && !spec.args) throw new UsageError(`${spec.name} takes no arguments (got ${positionals.join(' ')}); see pvpn-gen ${spec.name} --help`);
  if (spec.args === '[name]' && positionals.length > 1) throw new UsageError(`${spec.name} takes one service name`);
  const parsed: Record<string, unknown> = {};
  for (const option of options) {
    const value = values[option.name];
    if (value === undefined) {
      if (option.required) throw new UsageError(`${spec.name} needs --${option.name} <${option.value}>${option.choices ? ` (${option.choices.join(' or ')})` : ''}`);
      continue;
    }
    for (const v of ([] as unknown[]).concat(value)) {
      if (option.choices && !option.choices.includes(v as string)) {
        throw new UsageError(`--${option.name} ${String(v)} is not one of ${option.choices.join(', ')}`);
      }
    }
    if (option.name === 'no-start') parsed.start = false;
    else parsed[camel(option.name)] = value;
  }
  return { kind: 'command', command: spec.name, options: parsed, args: positionals };
}

function optionLine(o: OptionSpec): string {
  const flag = `${o.short ? `-${o.short}, ` : '    '}--${o.name}${o.value ? ` <${o.value}>` : ''}`;
  const choices = o.choices ? ` (${o.choices.join(', ')})` : '';
  return `  ${flag.padEnd(30)} ${o.help}${choices}${o.required ? ' [required]' : ''}`;
}

export function programHelp(): string {
  return [
    'Usage: pvpn-gen [options] <command> [command options]',
    '',
    'Turn one service spec into installed, supervised runit services or systemd units.',
    '',
    'Options:',
    ...GLOBAL_OPTIONS.map(optionLine),
    '',
    'Commands:',
    ...COMMAND_TABLE.map((c) => `  ${`${c.name}${c.args ? ` ${c.args}` : ''}`.padEnd(30)} ${c.help}`),
    '',
    'Run `pvpn-gen <command> --help` for its options. Exit codes: 0 ok, 1 invalid spec or failed operation, 2 usage.',
    '',
  ].join('\n');
}

export function commandHelp(spec: CommandSpec): string {
  return [
    `Usage: pvpn-gen ${spec.name}${spec.args ? ` ${spec.args}` : ''} [options]`,
    '',
    spec.help,
    '',
    'Options:',
    ...spec.options.map(optionLine),
    '',
    'Global options:',
    ...GLOBAL_OPTIONS.map(optionLine),
    '',
  ].join('\n');
}

/**
 * Command-line parsing, generic over the command list: a small parser of its own (node:util's parseArgs costs a
 * millisecond of start-up to load; a framework, ten). `--name value`, `--name=value`, `-n value`, `-nVALUE`,
 * repeated options, `--` ends the options. Values arrive typed as their definitions say (define.ts): numbers
 * parsed once here, choices checked here, so a command never sees a string where it expects a number.
 */
import { UsageError } from '../errors.js';
import { argUsage, flagName, GLOBAL_OPTIONS, type CommandDef, type OptionDef, type OptionDefs, type OptionsOf } from './define.js';

export interface ParsedCommand<D extends CommandDef = CommandDef> {
  readonly kind: 'command';
  readonly command: D;
  readonly options: OptionsOf<D>;
  readonly args: string[];
}

export type Parsed<D extends CommandDef = CommandDef> = { readonly kind: 'help'; readonly text: string } | { readonly kind: 'version' } | ParsedCommand<D>;

type Value = boolean | string | number | string[];

interface Named {
  readonly key: string;
  readonly flag: string;
  readonly option: OptionDef;
}

const takesValue = (option: OptionDef) => option.type !== 'flag';

function named(options: OptionDefs): Named[] {
  return Object.entries(options).map(([key, option]) => ({ key, flag: flagName(key), option }));
}

/** Options and positionals of `args`, each option checked against `options`; throws a message for usage errors. */
function scan(args: readonly string[], options: readonly Named[]): { values: Map<Named, string[]>; positionals: string[] } {
  const values = new Map<Named, string[]>();
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
    const found = options.find((o) => (long ? o.flag === name : o.option.short === name));
    if (!found) throw new Error(`Unknown option '${long ? `--${name}` : `-${name}`}'`);
    let value = 'true';
    if (takesValue(found.option)) {
      const given = eq >= 0 ? token.slice(eq + 1) : !long && token.length > 2 ? token.slice(2) : args[++i];
      if (given === undefined) throw new Error(`Option '--${found.flag} <${(found.option as { value: string }).value}>' needs a value`);
      value = given;
    } else if (eq >= 0 || (!long && token.length > 2)) {
      throw new Error(`Option '--${found.flag}' takes no value`);
    }
    values.set(found, [...(values.get(found) ?? []), value]);
  }
  return { values, positionals };
}

/** The first word that is neither an option nor the value of a global option. */
function commandIndex(argv: readonly string[], globals: readonly Named[]): number {
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i] ?? '';
    if (token === '--') return -1;
    if (!token.startsWith('-')) return i;
    const name = token.replace(/^--?/, '').split('=')[0];
    const found = globals.find((o) => o.flag === name || o.option.short === name);
    if (found && takesValue(found.option) && !token.includes('=')) i++;
  }
  return -1;
}

/** How an option is named in messages: `-n/--lines`, `--lock-wait`. */
const shown = ({ flag, option }: Named) => (option.short ? `-${option.short}/--${flag}` : `--${flag}`);

/** The typed value of one option from what the command line gave (its last value, or all of a list). */
function typedValue(command: CommandDef, entry: Named, given: readonly string[] | undefined): Value | undefined {
  const { option } = entry;
  if (option.type === 'flag') return given !== undefined;
  if (option.type === 'list') return [...(given ?? [])];
  const text = given?.[given.length - 1];
  if (text === undefined) {
    if (option.type === 'number') return option.default;
    if (option.required) {
      throw new UsageError(`${command.name} needs --${entry.flag} <${option.value}> (${option.help})`);
    }
    return undefined;
  }
  if (option.type === 'choice' && !option.choices.includes(text)) throw new UsageError(`--${entry.flag} ${text} is not one of ${option.choices.join(', ')}`);
  if (option.type === 'number') return numberValue(entry, option, text);
  return text;
}

function numberValue(entry: Named, option: Extract<OptionDef, { type: 'number' }>, text: string): number {
  const n = text.trim() === '' ? NaN : Number(text);
  const whole = option.integer ? 'a whole number' : 'a number';
  const kind = `${whole}${option.min === 0 ? ' (0 or more)' : option.min !== undefined ? ` (${option.min} or more)` : ''}`;
  if (!Number.isFinite(n) || (option.integer && !Number.isInteger(n)) || (option.min !== undefined && n < option.min)) {
    throw new UsageError(`${shown(entry)} takes ${kind} of ${option.value === 'n' ? 'lines' : option.value}, not '${text}'`);
  }
  return n;
}

function checkArgs(command: CommandDef, positionals: readonly string[]): void {
  const args = command.args ?? [];
  const see = `; see pvpn-gen ${command.name} --help`;
  if (args.length === 0 && positionals.length > 0) throw new UsageError(`${command.name} takes no arguments (got ${positionals.join(' ')})${see}`);
  const required = args.filter((a) => !a.optional);
  if (positionals.length < required.length) throw new UsageError(`${command.name} needs ${required.map(argUsage).join(' ')}${see}`);
  if (!args.some((a) => a.variadic) && positionals.length > args.length) {
    const usage = args.map(argUsage).join(' ');
    throw new UsageError(args.length === 1 && args[0]?.name === 'name' ? `${command.name} takes one service name` : `${command.name} takes ${usage} (got ${positionals.join(' ')})${see}`);
  }
}

export function parse<D extends CommandDef>(argv: readonly string[], commands: readonly D[]): Parsed<D> {
  const globals = named(GLOBAL_OPTIONS);
  const at = commandIndex(argv, globals);
  const name = at >= 0 ? argv[at] : undefined;
  const command = commands.find((c) => c.name === name);
  if (name !== undefined && !command) throw new UsageError(`unknown command '${name}'; the commands are: ${commands.map((c) => c.name).join(', ')}`);
  const rest = at >= 0 ? [...argv.slice(0, at), ...argv.slice(at + 1)] : [...argv];
  const options = [...globals, ...named(command?.options ?? {})];
  let scanned: ReturnType<typeof scan>;
  try {
    scanned = scan(rest, options);
  } catch (error) {
    throw new UsageError(`${(error as Error).message}; see pvpn-gen ${command ? `${command.name} ` : ''}--help`);
  }
  const given = (key: string) => [...scanned.values].some(([entry]) => entry.key === key);
  // --help wins; --version answers with or without a command; no command at all is the program's help
  if (given('help')) return { kind: 'help', text: command ? commandHelp(command) : programHelp(commands) };
  if (given('version')) return { kind: 'version' };
  if (!command) return { kind: 'help', text: programHelp(commands) };
  checkArgs(command, scanned.positionals);
  const values: Record<string, Value | undefined> = {};
  for (const entry of options) {
    if (entry.key === 'help' || entry.key === 'version') continue;
    values[entry.key] = typedValue(command, entry, scanned.values.get(entry));
  }
  // typedValue made each value as its definition says: the one place the record takes the definition's type
  return { kind: 'command', command, options: values as OptionsOf<D>, args: scanned.positionals };
}

function optionLine(key: string, o: OptionDef): string {
  const value = 'value' in o ? ` <${o.value}>` : '';
  const flag = `${o.short ? `-${o.short}, ` : '    '}--${flagName(key)}${value}`;
  const choices = o.type === 'choice' ? ` (${o.choices.join(', ')})` : '';
  const fallback = o.type === 'number' && o.default !== undefined ? ` (default ${o.default})` : '';
  const required = 'required' in o && o.required ? ' [required]' : '';
  return `  ${flag.padEnd(30)} ${o.help}${choices}${fallback}${required}`;
}

const optionLines = (options: OptionDefs) => Object.entries(options).map(([key, o]) => optionLine(key, o));

export const commandUsage = (c: CommandDef) => `${c.name}${c.args?.length ? ` ${c.args.map(argUsage).join(' ')}` : ''}`;

export function programHelp(commands: readonly CommandDef[]): string {
  return [
    'Usage: pvpn-gen [options] <command> [command options]',
    '',
    'Turn one service spec into installed, supervised runit services or systemd units.',
    '',
    'Options:',
    ...optionLines(GLOBAL_OPTIONS),
    '',
    'Commands:',
    ...commands.map((c) => `  ${commandUsage(c).padEnd(30)} ${c.help}`),
    '',
    'Run `pvpn-gen <command> --help` for its options. Exit codes: 0 ok, 1 invalid spec or failed operation, 2 usage.',
    '',
  ].join('\n');
}

export function commandHelp(command: CommandDef): string {
  const own = optionLines(command.options);
  return [
    `Usage: pvpn-gen ${commandUsage(command)} [options]`,
    '',
    command.help,
    ...(command.details ? ['', command.details] : []),
    '',
    ...(own.length > 0 ? ['Options:', ...own, ''] : []),
    'Global options:',
    ...optionLines(GLOBAL_OPTIONS),
    '',
  ].join('\n');
}

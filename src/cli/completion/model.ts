/**
 * The command list (commands-table.ts) as the completion scripts see it: words, what each option's value is, what
 * each argument is. bash.ts, zsh.ts and fish.ts turn this into their shell's script; none of them lists a command
 * or an option of its own.
 */
import { flagName, GLOBAL_OPTIONS, type ArgDef, type CommandDef, type OptionDef, type OptionDefs } from '../define.js';

/**
 * What completes a value: a fixed list, files, directories, or a list the installed pvpn-gen prints from the spec
 * (`pvpn-gen completion --list services|keys`, with the --spec of the command line being completed).
 */
export type ValueKind = { readonly words: readonly string[] } | 'file' | 'dir' | 'services' | 'keys' | 'none';

export interface OptionWord {
  /** `--lock-wait` */
  readonly long: string;
  /** `-t`, if it has one */
  readonly short?: string;
  readonly help: string;
  /** undefined for a flag (takes no value) */
  readonly value?: ValueKind;
}

export interface CommandWords {
  readonly name: string;
  readonly help: string;
  readonly options: readonly OptionWord[];
  /** what each positional argument completes to, in order; the last one repeats when it is variadic */
  readonly args: readonly ValueKind[];
  readonly variadic: boolean;
}

export interface CompletionModel {
  readonly program: string;
  readonly globals: readonly OptionWord[];
  readonly commands: readonly CommandWords[];
}

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

function kindOf(item: OptionDef | ArgDef): ValueKind {
  if ('type' in item && item.type === 'choice') return { words: item.choices };
  switch (item.complete) {
    case 'file':
      return 'file';
    case 'dir':
      return 'dir';
    case 'service':
      return 'services';
    case 'field':
      return 'keys';
    case 'shell':
      return { words: SHELLS };
    default:
      return 'none';
  }
}

function optionWords(options: OptionDefs): OptionWord[] {
  return Object.entries(options).map(([key, option]) => ({
    long: `--${flagName(key)}`,
    ...(option.short ? { short: `-${option.short}` } : {}),
    help: option.help,
    ...(option.type === 'flag' ? {} : { value: kindOf(option) }),
  }));
}

export function completionModel(commands: readonly CommandDef[]): CompletionModel {
  return {
    program: 'pvpn-gen',
    globals: optionWords(GLOBAL_OPTIONS),
    commands: commands.map((c) => ({
      name: c.name,
      help: c.help,
      options: optionWords(c.options),
      args: (c.args ?? []).map(kindOf),
      variadic: (c.args ?? []).some((a) => a.variadic),
    })),
  };
}

/** 'text' as one word of sh, bash, zsh and fish alike. */
export function quoted(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** The options that take a value, as flags (`--spec`, `-t`): a word after them is that value, not an argument. */
export function valueFlags(options: readonly OptionWord[]): string[] {
  return options.filter((o) => o.value !== undefined).flatMap((o) => (o.short ? [o.long, o.short] : [o.long]));
}

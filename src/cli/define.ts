/**
 * What a command is, as typed data: its name, help, arguments and options. The command list (commands-table.ts)
 * holds every definition; the parser (args.ts), the help, the completions, the man page and the build read it; each
 * command module (commands/NAME.ts) exports its definition with the function that runs it, whose options are typed
 * from the definition (a number option arrives as a number, a choice as one of its values).
 *
 * Plain data and types only: the start-up path (dist/cli.js) holds this file.
 */
import type { Io } from './io.js';

/** What a shell completes for an option's value or an argument. */
export type Completion = 'file' | 'dir' | 'service' | 'field' | 'shell';

interface OptionBase {
  readonly short?: string;
  readonly help: string;
  readonly complete?: Completion;
}

/** `--name`: true when given (`--no-start` is the flag `noStart`). */
export interface FlagOption extends OptionBase {
  readonly type: 'flag';
}

/** `--name VALUE`; `value` names it in the help (`--spec <file>`). */
export interface StringOption extends OptionBase {
  readonly type: 'string';
  readonly value: string;
  readonly required?: boolean;
}

/** `--name VALUE`, repeatable: the values in order. */
export interface ListOption extends OptionBase {
  readonly type: 'list';
  readonly value: string;
}

/** `--name N`, parsed once by the parser; a bad number is a usage error. */
export interface NumberOption extends OptionBase {
  readonly type: 'number';
  readonly value: string;
  readonly integer?: boolean;
  readonly min?: number;
  readonly default?: number;
}

/** `--name VALUE`, one of `choices`. */
export interface ChoiceOption<C extends string = string> extends OptionBase {
  readonly type: 'choice';
  readonly value: string;
  readonly choices: readonly C[];
  readonly required?: boolean;
}

export type OptionDef = FlagOption | StringOption | ListOption | NumberOption | ChoiceOption;

/** Options by property name; the flag is the name in kebab case (`lockWait` is `--lock-wait`). */
export type OptionDefs = Readonly<Record<string, OptionDef>>;

export interface ArgDef {
  /** shown in the help: `<name>`, `[name]`, `[name...]` */
  readonly name: string;
  readonly optional?: boolean;
  readonly variadic?: boolean;
  readonly complete?: Completion;
}

export interface CommandDef {
  readonly name: string;
  /** one line, for the command list of --help, the README and the man page */
  readonly help: string;
  /** more lines for `pvpn-gen NAME --help` and the man page */
  readonly details?: string;
  readonly args?: readonly ArgDef[];
  readonly options: OptionDefs;
  /** the exit code of any error, when the command has its own convention (diff: 2, like diff(1)) */
  readonly errorExitCode?: number;
}

/** The value an option arrives with. */
export type ValueOf<O extends OptionDef> = O extends FlagOption
  ? boolean
  : O extends ListOption
    ? string[]
    : O extends { readonly type: 'number'; readonly default: number }
      ? number
      : O extends NumberOption
        ? number | undefined
        : O extends { readonly type: 'choice'; readonly choices: readonly (infer C)[]; readonly required: true }
          ? C
          : O extends { readonly type: 'choice'; readonly choices: readonly (infer C)[] }
            ? C | undefined
            : O extends { readonly required: true }
              ? string
              : string | undefined;

export type ValuesOf<O extends OptionDefs> = { -readonly [K in keyof O]: ValueOf<O[K]> };

/** The options a command's run gets: the global ones and its own, typed. */
export type OptionsOf<D extends CommandDef> = ValuesOf<GlobalOptionDefs> & ValuesOf<D['options']>;

/** A command's run: the exit code, or a thrown error (main.ts turns it into a message and an exit code). */
export type Run<D extends CommandDef> = (options: OptionsOf<D>, io: Io, args: string[]) => Promise<number>;

/** What a command module exports as its default. */
export interface CommandModule<D extends CommandDef = CommandDef> {
  readonly definition: D;
  readonly run: Run<D>;
}

export function commandModule<const D extends CommandDef>(definition: D, run: Run<D>): CommandModule<D> {
  return { definition, run };
}

/** Keeps a definition's literal types (choices, required) for OptionsOf. */
export function defineCommand<const D extends CommandDef>(definition: D): D {
  return definition;
}

export function defineOption<const O extends OptionDef>(option: O): O {
  return option;
}

/** The options every command takes; help and version are answered by the parser. */
export const GLOBAL_OPTIONS = {
  spec: defineOption({ type: 'string', value: 'file', complete: 'file', help: 'the spec file (default: search pvpn-gen.yaml, .pvpn-genrc*, package.json upwards)' }),
  variant: defineOption({ type: 'string', value: 'name', help: "the spec's variant for this machine (its `variants:`): those services, as it changes them" }),
  strict: defineOption({ type: 'flag', help: 'treat warnings (settings a target cannot express exactly) as errors' }),
  allowCodeConfig: defineOption({ type: 'flag', help: 'run a JavaScript spec (found by the search or named by --spec)' }),
  verbose: defineOption({ type: 'flag', short: 'v', help: 'more detail, and stack traces for errors' }),
  help: defineOption({ type: 'flag', short: 'h', help: 'show help' }),
  version: defineOption({ type: 'flag', short: 'V', help: 'show the version' }),
} as const;

type GlobalOptionDefs = typeof GLOBAL_OPTIONS;

/** `lockWait` -> `lock-wait` */
export function flagName(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** `[name...]`, `<shell>` */
export function argUsage(arg: ArgDef): string {
  const inner = `${arg.name}${arg.variadic ? '...' : ''}`;
  return arg.optional ? `[${inner}]` : `<${inner}>`;
}

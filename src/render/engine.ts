/**
 * The Handlebars environment: isolated (Handlebars.create(), never the global instance), compiled with noEscape
 * and strict (handlebars-options.json), and with one helper per output context. Templates never print a raw value:
 * a test walks every template and fails on a {{value}} that does not go through one of these helpers.
 */
import HandlebarsRuntime from 'handlebars/runtime.js';
import type { HelperDelegate, TemplateDelegate } from 'handlebars';

/** A precompiled template: the object Handlebars.precompile() describes, opaque to us. */
type TemplateSpecification = object;
import { precompiledPartials, precompiledTemplates } from '../_generated/templates.js';
import {
  ENV_NAME,
  commentLine,
  shArgv,
  shQuote,
  svlogdConfigLine,
  sysusersField,
  systemdEnvironment,
  systemdExecLine,
  systemdPath,
  systemdRawValue,
  systemdValue,
  systemdWord,
} from './escape.js';
import { formatSize, formatSpan } from '../spec/units.js';

export type RenderTemplate = (view: object) => string;
export type TemplateName =
  | 'systemd/service'
  | 'systemd/timer'
  | 'systemd/failure'
  | 'systemd/sysusers'
  | 'runit/run'
  | 'runit/finish'
  | 'runit/log-run';
export type TemplateSet = Readonly<Record<TemplateName, RenderTemplate>>;
export const TEMPLATE_NAMES: readonly TemplateName[] = [
  'systemd/service',
  'systemd/timer',
  'systemd/failure',
  'systemd/sysusers',
  'runit/run',
  'runit/finish',
  'runit/log-run',
];

/** Handlebars passes its options object as the last argument; the helpers take only their own arguments. */
function args(all: unknown[]): unknown[] {
  return all.slice(0, -1);
}

function asString(value: unknown, helper: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  throw new TypeError(`template helper ${helper}: expected text, got ${JSON.stringify(value)}${value === undefined ? ' (does the template name a field that does not exist?)' : ''}`);
}

function asNumber(value: unknown, helper: string): number {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  throw new TypeError(`template helper ${helper}: expected a number, got ${JSON.stringify(value)}`);
}

function asArgv(value: unknown, helper: string): string[] {
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
  throw new TypeError(`template helper ${helper}: expected an argv list, got ${JSON.stringify(value)}`);
}

export const HELPERS: Readonly<Record<string, HelperDelegate>> = {
  /** `# text` in any format */
  comment: (...all: unknown[]) => commentLine(args(all).map((a) => asString(a, 'comment')).join('')),
  /** one POSIX sh word */
  sh: (...all: unknown[]) => shQuote(asString(args(all)[0], 'sh')),
  /** one word NAME=VALUE for env(1): name checked, the whole word single-quoted */
  shAssign: (...all: unknown[]) => {
    const [name, value] = args(all).map((a) => asString(a, 'shAssign'));
    if (!ENV_NAME.test(name ?? '')) throw new TypeError(`template helper shAssign: ${JSON.stringify(name)} is not a variable name`);
    return shQuote(`${name}=${value ?? ''}`);
  },
  /** a list of POSIX sh words */
  shArgv: (...all: unknown[]) => shArgv(asArgv(args(all)[0], 'shArgv')),
  /** a number in sh arithmetic or as a command argument: digits only, so no quoting is needed */
  shNumber: (...all: unknown[]) => {
    const n = asNumber(args(all)[0], 'shNumber');
    if (!Number.isInteger(n) || n < 0) throw new TypeError(`template helper shNumber: ${n} is not a whole number`);
    return String(n);
  },
  /** a systemd Exec*= command line */
  sdExec: (...all: unknown[]) => systemdExecLine(asArgv(args(all)[0], 'sdExec')),
  /** a systemd Environment= assignment: name, value */
  sdEnv: (...all: unknown[]) => {
    const [name, value] = args(all);
    return systemdEnvironment(asString(name, 'sdEnv'), asString(value, 'sdEnv'));
  },
  /** a bare systemd path value */
  sdPath: (...all: unknown[]) => systemdPath(asString(args(all)[0], 'sdPath')),
  /** one-line systemd text (Description=) */
  sdText: (...all: unknown[]) => systemdValue(args(all).map((a) => asString(a, 'sdText')).join('')),
  /** any other single-line systemd value */
  sdValue: (...all: unknown[]) => systemdValue(asString(args(all)[0], 'sdValue')),
  /** milliseconds as a systemd time span */
  sdSpan: (...all: unknown[]) => formatSpan(asNumber(args(all)[0], 'sdSpan')),
  /** a raw directive value, systemd syntax kept (see systemdRawValue) */
  sdRaw: (...all: unknown[]) => systemdRawValue(asString(args(all)[0], 'sdRaw')),
  /** a whole-number percentage (CPUQuota=): no specifier expansion there, so % stays single */
  sdPercent: (...all: unknown[]) => {
    const n = asNumber(args(all)[0], 'sdPercent');
    if (!Number.isInteger(n) || n <= 0) throw new TypeError(`template helper sdPercent: ${n} is not a positive whole number`);
    return `${n}%`;
  },
  /** bytes in systemd's K/M/G/T form */
  sdSize: (...all: unknown[]) => formatSize(asNumber(args(all)[0], 'sdSize')),
  /**
   * Directive lines (the hardening table, raw directives): each `Name=value` with the name as a word and the value
   * escaped (sdValue) or, for the user's raw directives, kept as systemd syntax (sdRaw); one newline after each.
   */
  sdDirectives: (...all: unknown[]) => {
    const lines = args(all)[0] as ReadonlyArray<{ name: string; value: string; raw: boolean }>;
    return lines.map((l) => `${systemdWord(l.name)}=${l.raw ? systemdRawValue(l.value) : systemdValue(l.value)}\n`).join('');
  },
  /** a plain number for systemd */
  sdNumber: (...all: unknown[]) => String(asNumber(args(all)[0], 'sdNumber')),
  /** a directive, unit or enum word */
  sdWord: (...all: unknown[]) => systemdWord(asString(args(all)[0], 'sdWord')),
  /** one field of a sysusers.d(5) line */
  sysusers: (...all: unknown[]) => sysusersField(args(all).map((a) => asString(a, 'sysusers')).join('')),
  /** one svlogd config line */
  svlogd: (...all: unknown[]) => svlogdConfigLine(args(all).map((a) => asString(a, 'svlogd')).join('')),
};

interface HandlebarsLike {
  create(): HandlebarsEnvironment;
}
interface HandlebarsEnvironment {
  registerHelper(name: string, helper: HelperDelegate): void;
  registerPartial(name: string, partial: TemplateDelegate): void;
  template(spec: TemplateSpecification): TemplateDelegate;
}

function environment(runtime: HandlebarsLike): HandlebarsEnvironment {
  const env = runtime.create();
  for (const [name, helper] of Object.entries(HELPERS)) env.registerHelper(name, helper);
  for (const [name, spec] of Object.entries(precompiledPartials)) env.registerPartial(name, env.template(spec));
  return env;
}

function fromSpecs(env: HandlebarsEnvironment, specs: Readonly<Record<string, TemplateSpecification>>): TemplateSet {
  const set = {} as Record<TemplateName, RenderTemplate>;
  for (const name of TEMPLATE_NAMES) {
    const spec = specs[name];
    if (!spec) throw new Error(`template ${name} is missing`);
    const template = env.template(spec);
    set[name] = (view) => template(view);
  }
  return set;
}

let builtin: TemplateSet | undefined;

/** The templates shipped in templates/, precompiled at build time (scripts/generate.mjs). */
export function builtinTemplates(): TemplateSet {
  builtin ??= fromSpecs(environment(HandlebarsRuntime as unknown as HandlebarsLike), precompiledTemplates);
  return builtin;
}

/**
 * Templates with some replaced by the user's own texts, compiled now with the full compiler (passed in, so that
 * only the commands that use overrides load it) and the same options and helpers as the built-in ones.
 */
export function templatesWithOverrides(
  compiler: HandlebarsLike,
  overrides: Readonly<Partial<Record<TemplateName, string>>>,
  options: object,
): TemplateSet {
  const env = environment(compiler) as HandlebarsEnvironment & { compile(text: string, options: object): TemplateDelegate };
  const set = { ...builtinTemplates() } as Record<TemplateName, RenderTemplate>;
  for (const name of TEMPLATE_NAMES) {
    const text = overrides[name];
    if (text === undefined) continue;
    const template = env.compile(text, options);
    set[name] = (view) => template(view);
  }
  return set;
}

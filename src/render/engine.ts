/**
 * The Handlebars environment: isolated (Handlebars.create(), never the global instance), compiled with noEscape
 * and strict (handlebars-options.json), and with one helper per output context. Templates never print a raw value:
 * a test walks every template and fails on a {{value}} that does not go through one of these helpers.
 */
import type { HelperDelegate, TemplateDelegate } from 'handlebars';
import { compiledPartials, compiledTemplates, partialSources } from '../_generated/templates.js';
import {
  ENV_NAME,
  commentLine,
  dinitCommandLine,
  dinitValue,
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
import { formatSize, formatSpan } from '../model/units.js';

export type RenderTemplate = (view: object) => string;
/** `TARGET/NAME`, as the file templates/TARGET/NAME.hbs (partials, `_NAME.hbs`, are not templates of their own). */
export type TemplateName = string;
export type TemplateSet = Readonly<Record<TemplateName, RenderTemplate>>;
/** Every built-in template, as scripts/generate.mjs found them in templates/. */
export const TEMPLATE_NAMES: readonly TemplateName[] = Object.keys(compiledTemplates).sort();

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

/**
 * name -> helper, called with the template's arguments only (Handlebars' trailing options object is dropped before
 * them, see environment()).
 */
export const HELPERS: Readonly<Record<string, (...args: unknown[]) => string>> = {
  /** `# text` in any format */
  comment: (...args: unknown[]) => commentLine(args.map((a) => asString(a, 'comment')).join('')),
  /** one POSIX sh word */
  sh: (...args: unknown[]) => shQuote(asString(args[0], 'sh')),
  /** one word NAME=VALUE for env(1): name checked, the whole word single-quoted */
  shAssign: (...args: unknown[]) => {
    const [name, value] = args.map((a) => asString(a, 'shAssign'));
    if (!ENV_NAME.test(name ?? '')) throw new TypeError(`template helper shAssign: ${JSON.stringify(name)} is not a variable name`);
    return shQuote(`${name}=${value ?? ''}`);
  },
  /** a list of POSIX sh words */
  shArgv: (...args: unknown[]) => shArgv(asArgv(args[0], 'shArgv')),
  /** a number in sh arithmetic or as a command argument: digits only, so no quoting is needed */
  shNumber: (...args: unknown[]) => {
    const n = asNumber(args[0], 'shNumber');
    if (!Number.isInteger(n) || n < 0) throw new TypeError(`template helper shNumber: ${n} is not a whole number`);
    return String(n);
  },
  /** a systemd Exec*= command line */
  sdExec: (...args: unknown[]) => systemdExecLine(asArgv(args[0], 'sdExec')),
  /** a systemd Environment= assignment: name, value */
  sdEnv: (...args: unknown[]) => {
    const [name, value] = args;
    return systemdEnvironment(asString(name, 'sdEnv'), asString(value, 'sdEnv'));
  },
  /** a bare systemd path value */
  sdPath: (...args: unknown[]) => systemdPath(asString(args[0], 'sdPath')),
  /** one-line systemd text (Description=) */
  sdText: (...args: unknown[]) => systemdValue(args.map((a) => asString(a, 'sdText')).join('')),
  /** any other single-line systemd value */
  sdValue: (...args: unknown[]) => systemdValue(asString(args[0], 'sdValue')),
  /** milliseconds as a systemd time span */
  sdSpan: (...args: unknown[]) => formatSpan(asNumber(args[0], 'sdSpan')),
  /** a raw directive value, systemd syntax kept (see systemdRawValue) */
  sdRaw: (...args: unknown[]) => systemdRawValue(asString(args[0], 'sdRaw')),
  /** a whole-number percentage (CPUQuota=): no specifier expansion there, so % stays single */
  sdPercent: (...args: unknown[]) => {
    const n = asNumber(args[0], 'sdPercent');
    if (!Number.isInteger(n) || n <= 0) throw new TypeError(`template helper sdPercent: ${n} is not a positive whole number`);
    return `${n}%`;
  },
  /** bytes in systemd's K/M/G/T form */
  sdSize: (...args: unknown[]) => formatSize(asNumber(args[0], 'sdSize')),
  /**
   * Directive lines (the hardening table, raw directives): each `Name=value` with the name as a word and the value
   * escaped (sdValue) or, for the user's raw directives, kept as systemd syntax (sdRaw); one newline after each.
   */
  sdDirectives: (...args: unknown[]) => {
    const lines = args[0] as ReadonlyArray<{ name: string; value: string; raw: boolean }>;
    return lines.map((l) => `${systemdWord(l.name)}=${l.raw ? systemdRawValue(l.value) : systemdValue(l.value)}\n`).join('');
  },
  /** a plain number for systemd */
  sdNumber: (...args: unknown[]) => String(asNumber(args[0], 'sdNumber')),
  /** a directive, unit or enum word */
  sdWord: (...args: unknown[]) => systemdWord(asString(args[0], 'sdWord')),
  /** one field of a sysusers.d(5) line */
  sysusers: (...args: unknown[]) => sysusersField(args.map((a) => asString(a, 'sysusers')).join('')),
  /** one quoted value of a dinit service description */
  dinitValue: (...args: unknown[]) => dinitValue(args.map((a) => asString(a, 'dinitValue')).join('')),
  /** a dinit `command =` line */
  dinitArgv: (...args: unknown[]) => dinitCommandLine(asArgv(args[0], 'dinitArgv')),
  /** a dinit number (seconds with a fraction, counts, nice): a sign, digits and one dot only */
  dinitNumber: (...args: unknown[]) => {
    const text = String(asNumber(args[0], 'dinitNumber'));
    if (!/^-?\d+(\.\d+)?$/.test(text)) throw new TypeError(`template helper dinitNumber: ${text} is not a plain number`);
    return text;
  },
  /** one svlogd config line */
  svlogd: (...args: unknown[]) => svlogdConfigLine(args.map((a) => asString(a, 'svlogd')).join('')),
};

interface HandlebarsLike {
  create(): HandlebarsEnvironment;
}
interface HandlebarsEnvironment {
  registerHelper(name: string, helper: HelperDelegate): void;
  registerPartial(name: string, partial: TemplateDelegate): void;
  compile(text: string, options: object): TemplateDelegate;
}

/**
 * A Handlebars environment (for user overrides) with our helpers and the built-in partials (tests pass their own,
 * to compare the build-time compiled templates with Handlebars on small ones).
 */
export function environment(compiler: HandlebarsLike, options: object, partials: Readonly<Record<string, string>> = partialSources): HandlebarsEnvironment {
  const env = compiler.create();
  for (const [name, helper] of Object.entries(HELPERS)) env.registerHelper(name, (...all: unknown[]) => helper(...all.slice(0, -1)));
  for (const [name, source] of Object.entries(partials)) env.registerPartial(name, env.compile(source, options));
  return env;
}

let builtin: TemplateSet | undefined;

/** The templates shipped in templates/, compiled to plain functions at build time (scripts/template-codegen.mjs). */
export function builtinTemplates(): TemplateSet {
  builtin ??= Object.fromEntries(
    TEMPLATE_NAMES.map((name) => {
      const template = compiledTemplates[name];
      if (!template) throw new Error(`template ${name} is missing`);
      return [name, (view: object) => template(view, HELPERS, compiledPartials, [view])];
    }),
  );
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
  const env = environment(compiler, options);
  const set = { ...builtinTemplates() } as Record<TemplateName, RenderTemplate>;
  for (const name of TEMPLATE_NAMES) {
    const text = overrides[name];
    if (text === undefined) continue;
    const template = env.compile(text, options);
    set[name] = (view) => template(view);
  }
  return set;
}

/** One template of a set; a name no template has is a bug of the target asking for it. */
export function templateOf(set: TemplateSet, name: TemplateName): RenderTemplate {
  const template = set[name];
  if (!template) throw new Error(`no template ${name} (templates/${name}.hbs)`);
  return template;
}

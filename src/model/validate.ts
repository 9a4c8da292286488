/**
 * Schema validation (ajv, compiled ahead of time) and the translation of ajv's errors into problems a person can act
 * on: the file, line and column, the JSON pointer, what is wrong and what would be right.
 */
import type { ErrorObject } from 'ajv';
import { validateSpecSchema } from '../_generated/validate-spec.js';
import { pointerOf, type Problem } from './problem.js';
import type { SpecSource } from './source.js';
import { closest } from './suggest.js';

type SchemaWithFix = { 'x-fix'?: string; properties?: Record<string, unknown>; enum?: unknown[] };

/** Every schema problem in the document, in document order. Empty when the spec is valid. */
export function schemaProblems(source: SpecSource): Problem[] {
  if (validateSpecSchema(source.data)) return [];
  const errors = collapseAlternatives(validateSpecSchema.errors ?? []);
  return errors.map((error) => toProblem(error, source));
}

/**
 * ajv reports every failed branch of an `anyOf`. When a deeper error exists under the same place, the value had
 * the right shape and that error is the useful one; otherwise one message for the whole place says what fits.
 */
function collapseAlternatives(errors: readonly ErrorObject[]): ErrorObject[] {
  const anyOfPaths = new Set(errors.filter((e) => e.keyword === 'anyOf').map((e) => e.instancePath));
  const hasDeeper = (path: string) => errors.some((e) => e.instancePath.startsWith(path + '/'));
  const kept: ErrorObject[] = [];
  const seen = new Set<string>();
  for (const error of errors) {
    const path = error.instancePath;
    if (anyOfPaths.has(path) && (hasDeeper(path) || error.keyword !== 'anyOf')) continue;
    // a bad property name is reported once, by its own pattern error (which carries propertyName)
    if (error.keyword === 'propertyNames') continue;
    const key = `${path}\u0000${error.keyword}\u0000${JSON.stringify(error.params)}\u0000${error.propertyName ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    kept.push(error);
  }
  return kept;
}

function toProblem(error: ErrorObject, source: SpecSource): Problem {
  const { pointer, which } = placeOf(error);
  return {
    severity: 'error',
    file: source.file,
    position: source.locate(pointer, which),
    pointer,
    message: messageOf(error),
  };
}

/** Where the user should look: the offending key for unknown keys and bad names, else the value. */
function placeOf(error: ErrorObject): { pointer: string; which: 'key' | 'value' } {
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'additionalProperties') {
    return { pointer: error.instancePath + pointerOf([String(params.additionalProperty)]), which: 'key' };
  }
  if (error.propertyName !== undefined) {
    return { pointer: error.instancePath + pointerOf([error.propertyName]), which: 'key' };
  }
  if (error.keyword === 'false schema') return { pointer: error.instancePath, which: 'key' };
  if (error.keyword === 'required') return { pointer: error.instancePath, which: 'key' };
  return { pointer: error.instancePath, which: 'value' };
}

function fixOf(error: ErrorObject): string | undefined {
  return (error.parentSchema as SchemaWithFix | undefined)?.['x-fix'];
}

function withFix(message: string, fix: string | undefined): string {
  return fix ? `${message}; ${fix}` : message;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  if (typeof value === 'number') return Number.isInteger(value) ? `the number ${value}` : `the decimal number ${value}`;
  return `the ${typeof value} ${String(value)}`;
}

const TYPE_NAMES: Readonly<Record<string, string>> = {
  string: 'a string',
  integer: 'a whole number',
  number: 'a number',
  boolean: 'true or false',
  object: 'a mapping (key: value)',
  array: 'a list',
};

function messageOf(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  const fix = fixOf(error);
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const allowed = Object.keys((error.parentSchema as SchemaWithFix | undefined)?.properties ?? {});
      const guess = closest(key, allowed);
      if (guess) return `unknown key "${key}"; did you mean "${guess}"?`;
      if (key === '<<') return 'YAML merge keys (<<) are not supported; put shared settings under `defaults:`';
      if (key === 'Install' && error.instancePath.endsWith('/hardening/systemd')) {
        return '[Install] is written by pvpn-gen (WantedBy=multi-user.target for a daemon, timers.target for a timer): set wantedBy: [TARGET, ...] to start a daemon from other targets';
      }
      return `unknown key "${key}"; allowed here: ${allowed.join(', ')}`;
    }
    case 'required':
      return withFix(`missing "${String(params.missingProperty)}"`, fix);
    case 'false schema':
      return `"${lastSegment(error.instancePath)}" is not allowed in defaults; set it on each service`;
    case 'type': {
      const expected = ([] as string[]).concat(params.type as string | string[]);
      const names = expected.map((t) => TYPE_NAMES[t] ?? t).join(' or ');
      // YAML reads 22 or true unquoted as a number or boolean: the fix is the quotes, whatever the string's own
      // rules are (a fix that already says how to quote stays)
      if (expected.length === 1 && expected[0] === 'string' && (typeof error.data === 'number' || typeof error.data === 'boolean')) {
        return withFix(`expected a string, found ${describe(error.data)}: quote it ("${String(error.data)}") so YAML reads it as text`, fix?.includes('quote') ? fix : undefined);
      }
      return withFix(`expected ${names}, found ${describe(error.data)}${yamlHint(error.data, expected)}`, fix);
    }
    case 'pattern':
      if (error.propertyName !== undefined) return withFix(`invalid name "${error.propertyName}"`, fix);
      return withFix(`${describe(error.data)} is not valid${patternHint(error.data)}`, fix);
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map((v) => JSON.stringify(v));
      const guess = typeof error.data === 'string' ? closest(error.data, allowed.map((a) => JSON.parse(a) as string).filter((a) => typeof a === 'string')) : undefined;
      return guess
        ? `${describe(error.data)} is not allowed; did you mean "${guess}"?`
        : withFix(`${describe(error.data)} is not allowed`, fix ?? `use one of ${allowed.join(', ')}`);
    }
    case 'const':
      return withFix(`${describe(error.data)} is not supported`, fix);
    case 'minimum':
    case 'maximum':
      return withFix(`${describe(error.data)} is ${error.keyword === 'minimum' ? 'too small' : 'too large'}`, fix);
    case 'minItems':
      return withFix('the list is empty', fix);
    case 'minProperties':
      return withFix('nothing is defined here', fix);
    case 'maxLength':
      return `too long: ${String((error.data as string).length)} characters, at most ${String(params.limit)}`;
    case 'uniqueItems':
      return `items ${String(params.j)} and ${String(params.i)} are the same; list each once`;
    case 'anyOf':
      return withFix(`${describe(error.data)} does not fit here`, fix);
    default:
      // the validator is built without ajv's English messages (ajv-options.json: smaller, faster to load); every
      // keyword the schema uses has its own case above
      return withFix(`does not meet the schema's "${error.keyword}" rule`, fix);
  }
}

function lastSegment(pointer: string): string {
  return pointer.slice(pointer.lastIndexOf('/') + 1);
}

/** YAML 1.1 habits that YAML 1.2 (which pvpn-gen reads) treats differently. */
function yamlHint(value: unknown, expected: readonly string[]): string {
  if (expected.includes('boolean') && typeof value === 'string' && /^(yes|no|on|off|y|n)$/i.test(value)) {
    return ` (YAML 1.2 reads ${value} as a string: write true or false)`;
  }
  if (typeof value === 'number' && !Number.isInteger(value) && expected.includes('string')) {
    return ` (quote it, e.g. "${value}", so it stays exactly as written)`;
  }
  if (typeof value === 'number' && !Number.isInteger(value) && expected.includes('integer')) {
    return ' (decimals are not allowed here; for a time span write e.g. 1500ms or 1.5s in quotes)';
  }
  return '';
}

function patternHint(value: unknown): string {
  if (typeof value !== 'string') return '';
  if (/^[0-9]+:[0-9]+(:[0-9]+)?$/.test(value)) {
    return ' (YAML 1.1 would read this as a base-60 number; write a span like "1min 30s")';
  }
  if (/[\n\r]/.test(value)) return ' (it contains a line break)';
  if (value.includes('\u0000')) return ' (it contains a NUL character)';
  return '';
}

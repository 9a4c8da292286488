/**
 * A `.json` spec is read as JSON: what JSON refuses is refused (a trailing comma, a comment, single quotes), with
 * the line and column where the text stops being JSON and what to write instead; schema problems point at the
 * value in the JSON text, as they do in YAML. The scanner that finds those places agrees with JSON.parse.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { SpecError } from '../../src/errors.js';
import { compileSpec } from '../../src/model/compile.js';
import { formatProblem } from '../../src/model/problem.js';
import { readJson } from '../../src/model/json-source.js';
import { SyntaxProblem } from '../../src/model/source-tree.js';

/** The problems compileSpec throws, as the CLI prints them (FILE:LINE:COL: error: POINTER: message). */
function problems(text: string, file = 'spec.json', options = {}): string[] {
  try {
    compileSpec(text, file, options);
  } catch (error) {
    if (error instanceof SpecError) return error.problems.map(formatProblem);
    throw error;
  }
  return [];
}

const valid = '{\n  "version": 1,\n  "services": {\n    "job": { "command": ["/bin/true"], "interval": "1h" }\n  }\n}\n';

/** [what, text, the one expected problem: "LINE:COL: error: POINTER: message-part"] */
const CASES: ReadonlyArray<readonly [string, string, string]> = [
  ['trailing comma in a mapping', '{\n  "version": 1,\n  "services": { "job": { "command": ["/bin/true"] } },\n}\n', '3:54: error: (document): invalid JSON: a comma before }; JSON allows no trailing comma, remove it'],
  ['trailing comma in a list', '{ "version": 1, "services": { "job": { "command": ["/bin/true", ] } } }', '1:63: error: (document): invalid JSON: a comma before ]; JSON allows no trailing comma'],
  ['a comment', '{\n  // the spec\n  "version": 1\n}\n', '2:3: error: (document): invalid JSON: JSON has no comments'],
  ['single quotes', "{ 'version': 1 }", "1:3: error: (document): invalid JSON: strings need double quotes (\"), not single quotes (')"],
  ['an unquoted key', '{\n  version: 1\n}', '2:3: error: (document): invalid JSON: a key needs double quotes: "version"'],
  ['an unquoted string', '{ "version": 1, "services": { "job": { "command": [/bin/true] } } }', '1:52: error: (document): invalid JSON: a string needs double quotes: "/bin/true"'],
  ['a missing comma', '{\n  "version": 1\n  "services": {}\n}', '3:3: error: (document): invalid JSON: a comma is missing before this key'],
  ['a missing value', '{ "version": }', '1:14: error: (document): invalid JSON: a value is missing before this }'],
  ['a missing colon', '{ "version" 1 }', '1:13: error: (document): invalid JSON: expected ":" after the key "version"'],
  ['the file ends early', '{\n  "version": 1,\n  "services": {\n', '4:1: error: (document): invalid JSON: the file ends where a key should be'],
  ['an unclosed string', '{ "version": "1 }\n', '1:18: error: (document): invalid JSON: a line break inside a string (or the string is not closed); write \\n'],
  ['a bad escape', '{ "version": "a\\qb" }', '1:16: error: (document): invalid JSON: \\q is not an escape JSON knows'],
  ['True', '{ "version": 1, "x": True }', '1:22: error: (document): invalid JSON: True is not a JSON value; JSON has true, false and null (lower case)'],
  ['a leading zero', '{ "version": 01 }', '1:14: error: (document): invalid JSON: 01 is not a JSON number (no leading zeros)'],
  ['a size without quotes', '{ "version": 1, "x": 50M }', '1:22: error: (document): invalid JSON: 50M is not a JSON number'],
  ['a wrong closing bracket', '{ "version": 1 ]', '1:16: error: (document): invalid JSON: ] here, but a mapping ({) is open; close it with }'],
  ['one brace too many', '{ "version": 1 }}', '1:17: error: (document): invalid JSON: one } too many'],
  ['a duplicate key', '{\n  "version": 1,\n  "version": 1\n}', '3:3: error: (document): this key appears twice in the same mapping; keep one of them'],
  ['a duplicate service, written with an escape', '{ "services": { "job": {}, "j\\u006fb": {} } }', '1:28: error: (document): this key appears twice'],
  ['too deep', '['.repeat(65) + ']'.repeat(65), '1:65: error: (document): nested more than 64 levels deep'],
  ['empty', '  \n', '1:1: error: (document): the spec is empty'],
  ['null', 'null', '1:1: error: (document): the spec is empty'],
];

describe('JSON syntax: refused with the line and column, and the fix', () => {
  test.each(CASES)('%s', (_what, text, expected) => {
    const found = problems(text);
    expect(found).toHaveLength(1);
    expect(found[0]).toContain(`spec.json:${expected}`.replace('spec.json:error', 'spec.json: error'));
  });

  test('a valid JSON spec compiles; the same text named .yaml is YAML (JSON is YAML 1.2)', () => {
    expect(problems(valid)).toEqual([]);
    expect(problems(valid, 'spec.yaml')).toEqual([]);
  });

  test('the format follows the file name, or the format option', () => {
    const trailing = '{ "version": 1, "services": { "job": { "command": ["/bin/true"] } }, }';
    expect(problems(trailing, 'spec.yaml')).toEqual([]); // YAML's flow mappings allow it
    expect(problems(trailing, 'spec.JSON')[0]).toContain('trailing comma');
    expect(problems(trailing, 'spec', { format: 'json' })[0]).toContain('trailing comma');
  });

  test('a byte order mark is skipped; positions still count it as the first column of line 1', () => {
    expect(problems('\ufeff' + valid)).toEqual([]);
    expect(problems('\ufeff{ "version": 1, }')[0]).toContain('spec.json:1:16: error');
  });
});

describe('JSON schema problems: at the value (or the key) in the JSON text', () => {
  test.each([
    ['a relative argv[0]', '{\n  "version": 1,\n  "services": {\n    "job": { "command": ["bin/true"] }\n  }\n}\n', 'spec.json:4:26: error: /services/job/command/0: the string "bin/true" is not valid'],
    ['an unknown key', '{\n  "version": 1,\n  "services": {\n    "job": { "command": ["/bin/true"], "intervall": "1h" }\n  }\n}\n', 'spec.json:4:40: error: /services/job/intervall: unknown key "intervall"; did you mean "interval"?'],
    ['a missing key', '{\n  "version": 1,\n  "services": {\n    "job": {}\n  }\n}\n', 'spec.json:4:5: error: /services/job: missing "command"'],
    ['version 2', '{ "version": 2, "services": { "job": { "command": ["/bin/true"] } } }', 'spec.json:1:14: error: /version: the number 2 is not supported'],
    ['a normalise problem (either interval or calendar)', '{ "version": 1, "services": { "job": { "command": ["/bin/true"], "interval": "1h",\n "calendar": "daily" } } }', 'spec.json:2:2: error: /services/job/calendar: set either interval or calendar, not both'],
  ])('%s', (_what, text, expected) => {
    expect(problems(text)).toEqual([expect.stringContaining(expected)]);
  });

  test('in package.json, under the "pvpn-gen" key, positions count from the top of package.json', () => {
    const text = '{\n  "name": "x",\n  "pvpn-gen": {\n    "version": 1,\n    "services": { "job": { "command": ["bin/true"] } }\n  }\n}\n';
    expect(problems(text, 'package.json', { basePath: ['pvpn-gen'] })).toEqual([expect.stringContaining('package.json:5:40: error: /services/job/command/0:')]);
    expect(problems('{ "name": "x", }', 'package.json', { basePath: ['pvpn-gen'] })[0]).toContain('package.json:1:14: error: (document): invalid JSON: a comma before }');
    expect(problems('{ "name": "x" }', 'package.json', { basePath: ['pvpn-gen'] })[0]).toContain('no "pvpn-gen" key in this file');
  });
});

describe('the scanner agrees with JSON.parse', () => {
  const accepts = (text: string) => {
    try {
      readJson(text);
      return true;
    } catch (error) {
      if (error instanceof SyntaxProblem) return false;
      throw error; // the scanner passed what JSON.parse refused: a bug
    }
  };
  const parses = (text: string) => {
    try {
      JSON.parse(text);
      return true;
    } catch {
      return false;
    }
  };
  const blank = (text: string) => /^[ \t\n\r]*$/.test(text); // an empty spec, refused later with its own message
  const json = fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v, null, 2));

  test('every JSON text is accepted', () => {
    fc.assert(fc.property(json, (text) => accepts(text)), { numRuns: 500 });
  });

  test('an edited text is accepted exactly when JSON.parse accepts it (a repeated key aside, which it refuses)', () => {
    const edit = fc.tuple(json, fc.nat(), fc.constantFrom('', ',', ']', '}', '"', "'", ' ', '\n', '0', '-', '.', 'e', 'x', ':', '\\', '/', '\u0001'), fc.nat(2));
    fc.assert(
      fc.property(edit, ([text, at, insert, remove]) => {
        const i = text.length === 0 ? 0 : at % text.length;
        const edited = text.slice(0, i) + insert + text.slice(i + remove);
        if (blank(edited)) return true;
        if (parses(edited) && !accepts(edited)) return scanError(edited).includes('this key appears twice');
        return accepts(edited) === parses(edited);
      }),
      { numRuns: 3000 },
    );
  });

  function scanError(text: string): string {
    try {
      readJson(text);
      return '';
    } catch (error) {
      return (error as Error).message;
    }
  }
});

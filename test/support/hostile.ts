/**
 * Hostile inputs for the escaping tests (test/render/hostile-*.test.ts): fast-check arbitraries for argv arguments,
 * environment names and values, built from the characters each output format treats specially, plus random
 * printable text, and the spec that carries them.
 *
 * Only what the spec accepts is generated here: no control characters except tab (the schema rejects them; see
 * CONTROL_EXCEPT_TAB and the rejection tests) and only well-formed Unicode (a lone surrogate cannot be written as
 * UTF-8: see the known-gap test in hostile-runit.test.ts).
 */
import fc from 'fast-check';

/** Pieces that mean something to sh, systemd's unit parser, specifiers, env expansion, chpst, printf or the eye. */
export const HOSTILE_TOKENS: readonly string[] = [
  "'",
  "'\\''",
  "'\"'\"'",
  '"',
  '\\',
  '\\\\',
  '\\"',
  "\\'",
  '\\n',
  '\\t',
  '\\x41',
  '\\101',
  '\\u00e9',
  '\\s',
  '\\;',
  '$',
  '$$',
  '$HOME',
  '$X',
  '${X}',
  '${HOME}',
  '${X:-y}',
  '$(id)',
  '`id`',
  "$'x'",
  ';',
  ' ; ',
  '&&',
  '||',
  '|',
  '&',
  '>',
  '<',
  '2>&1',
  '%',
  '%n',
  '%%',
  '%Z',
  '%i',
  '%h',
  '*',
  '?',
  '[a]',
  '~',
  '~root',
  '#',
  '!',
  '=',
  'A=B',
  '{',
  '}',
  '(',
  ')',
  '\t',
  ' ',
  '  ',
  ' x ',
  '-',
  '--',
  '-u',
  '-e',
  '-n',
  '@',
  '+',
  ':',
  '!!',
  'é',
  '☃',
  '😀',
  '👩‍👩‍👧',
  'e\u0301',
  '\u00a0',
  '\u0085',
  '\u2028',
  '\u202e',
  // typographic quotes: literal text to sh and systemd, though shellcheck warns about them (SC1112)
  '\u2018\u2019\u201c\u201d',
  '\u200b',
  '\ufeff',
  '\ufffd',
  'Ω≈ç√∫',
  '',
];

/** Control characters the spec rejects (everything below 0x20 except tab, and DEL). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this matches
export const CONTROL_EXCEPT_TAB = /[\u0000-\u0008\u000a-\u001f\u007f]/;

/** One printable code point (or tab): ASCII most of the time, then Latin-1, the BMP and the astral planes. */
const codePoint = fc.oneof(
  { weight: 24, arbitrary: fc.integer({ min: 0x20, max: 0x7e }) },
  { weight: 4, arbitrary: fc.constant(0x09) },
  { weight: 4, arbitrary: fc.integer({ min: 0x80, max: 0xff }) },
  { weight: 4, arbitrary: fc.integer({ min: 0x100, max: 0xd7ff }) },
  // noncharacters (U+FDD0..U+FDEF, U+xxFFFE/F) are refused by validation: see the rejection tests
  { weight: 4, arbitrary: fc.integer({ min: 0xe000, max: 0xfffd }).filter((code) => code < 0xfdd0 || code > 0xfdef) },
  { weight: 4, arbitrary: fc.integer({ min: 0x10000, max: 0x10ffff }).filter((code) => (code & 0xfffe) !== 0xfffe) },
);
const printable = fc.array(codePoint, { maxLength: 12 }).map((cps) => String.fromCodePoint(...cps));

/** A string the spec accepts in argv and environment values, hostile by construction. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_TOKENS) },
  { weight: 5, arbitrary: fc.array(fc.oneof(fc.constantFrom(...HOSTILE_TOKENS), printable), { maxLength: 6 }).map((parts) => parts.join('')) },
  { weight: 2, arbitrary: printable },
);

/**
 * Variable names with a meaning somewhere on the way: to dash (IFS, PATH, PS4, CDPATH...), to the run script's own
 * variables (chpst, timeout, status...), to chpst/systemd (USER, HOME, INVOCATION_ID...), to JavaScript objects
 * (__proto__, constructor) and the smallest valid ones.
 *
 * OPTIND is not here: dash cannot hold a non-numeric OPTIND (see the runit test, which documents that gap).
 * Names that steer the dynamic loader or libc of every program (LD_*, GLIBC_TUNABLES, MALLOC_*) are left out on
 * purpose: they change what any program does, under runit and systemd alike, which is not an escaping question.
 */
export const AWKWARD_NAMES: readonly string[] = [
  'IFS',
  'PATH',
  'HOME',
  'USER',
  'LOGNAME',
  'SHELL',
  'PWD',
  'OLDPWD',
  'CDPATH',
  'ENV',
  'PS1',
  'PS2',
  'PS4',
  'LINENO',
  'PPID',
  'MAIL',
  'MAILPATH',
  'MAILCHECK',
  'HISTSIZE',
  'TERM',
  'LANG',
  'LC_ALL',
  'TZ',
  'POSIXLY_CORRECT',
  'OPTARG',
  '_',
  '__',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'valueOf',
  'chpst',
  'timeout',
  'bwrap',
  'snooze',
  'status',
  'job',
  'sleeper',
  'stopping',
  'woken',
  'started',
  'line',
  'key',
  'value',
  'interval',
  'jitter',
  'delay',
  'r',
  'PVPN_GEN_ENV',
  'INVOCATION_ID',
  'SYSTEMD_EXEC_PID',
  'JOURNAL_STREAM',
  'NOTIFY_SOCKET',
  'MAINPID',
  'MONITOR_UNIT',
  'A',
  'a',
  'X',
  'Z9',
  '_9',
];

const LOADER_NAMES = /^(LD_|GLIBC_TUNABLES$|MALLOC_)/;

export const envName: fc.Arbitrary<string> = fc.oneof(
  { weight: 1, arbitrary: fc.constantFrom(...AWKWARD_NAMES) },
  { weight: 1, arbitrary: fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,12}$/).filter((n) => !LOADER_NAMES.test(n)) },
);

/** What the spec may write as a value: mostly hostile text, sometimes a number or boolean (rendered with String()). */
export const envValue: fc.Arbitrary<string | number | boolean> = fc.oneof(
  { weight: 8, arbitrary: hostileString },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.boolean() },
);

export const environment: fc.Arbitrary<Array<[string, string | number | boolean]>> = fc.uniqueArray(fc.tuple(envName, envValue), {
  selector: ([name]) => name,
  maxLength: 6,
});

export const hostileArgs: fc.Arbitrary<string[]> = fc.array(hostileString, { maxLength: 8 });

/**
 * Directory names for the program's own path: the schema allows anything there except a backslash, control
 * characters and empty or `.`/`..` parts. `quotes` adds the names with ' and " (systemd refuses those in a path).
 */
export const HOSTILE_DIRS_SYSTEMD: readonly string[] = [
  'sp ace',
  'dollar $HOME ${X} $$',
  'pct %n %% %',
  'semi;colon &&|',
  'glob*?[a]~',
  'uni é☃😀',
  '-dash',
  'back`tick`',
  '#hash !bang',
];
export const HOSTILE_DIRS_QUOTES: readonly string[] = ["it's", 'say "hi"'];

/** One case: the program (an index into the caller's list of program paths), its arguments, the environment. */
export interface HostileCase {
  readonly program: number;
  readonly args: string[];
  readonly env: Array<[string, string | number | boolean]>;
}

export function hostileCase(programs: number): fc.Arbitrary<HostileCase> {
  return fc.record({
    program: fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.nat({ max: programs - 1 }) }),
    args: hostileArgs,
    env: environment,
  });
}

/** A case that holds every token at once, run first by every property. */
export function everyTokenCase(): HostileCase {
  return {
    program: 0,
    args: [...HOSTILE_TOKENS, HOSTILE_TOKENS.join(''), HOSTILE_TOKENS.join(' ')],
    env: [
      ['IFS', ' \t'],
      ['PATH', '/nonexistent:$PATH:%n'],
      ['HOME', '~'],
      ['PS4', '$(id)'],
      ['__proto__', "'\\''"],
      ['chpst', '/bin/false'],
      ['ALL', HOSTILE_TOKENS.join('')],
      ['EMPTY', ''],
    ],
  };
}

/** One interval service as `daemon`, in /tmp, running `command` with `environment`: what the tests render. */
export function hostileService(command: readonly string[], env: ReadonlyArray<readonly [string, string | number | boolean]>): object {
  return {
    user: 'daemon',
    workingDirectory: '/tmp',
    interval: '1h',
    command,
    // fromEntries, not assignment: a `__proto__` key must stay an ordinary key
    environment: Object.fromEntries(env),
  };
}

/** The spec as JSON text, for compileSpec(text, 'hostile.json'); services by name. */
export function hostileSpecText(services: Record<string, object>): string {
  return JSON.stringify({ version: 1, services });
}

/** The environment the job must see from the spec: values as strings, as normalise.ts turns them. */
export function specEnvironment(env: ReadonlyArray<readonly [string, string | number | boolean]>): Map<string, string> {
  return new Map(env.map(([name, value]) => [name, String(value)]));
}

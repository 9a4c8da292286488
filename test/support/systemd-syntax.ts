/**
 * A test-side reading of unit files the way systemd 252 reads them, to check that what pvpn-gen writes comes back
 * as exactly what the spec said. Ported from systemd's sources (LGPL-2.1+), byte for byte where it matters:
 *   src/shared/conf-parser.c   lines, comments, continuation lines, `Key=value` with the value stripped
 *   src/basic/extract-word.c   extract_first_word(): quotes, backslashes, separators
 *   src/basic/escape.c         cunescape_one(): \a \b \f \n \r \t \v \\ \" \' \s \xNN \uNNNN \UNNNNNNNN \ooo
 *   src/shared/specifier.c     specifier_printf(): %% and the unit specifiers (an unknown one is an error)
 *   src/core/load-fragment.c   config_parse_exec() (Exec*=) and config_parse_environ() (Environment=)
 *   src/basic/env-util.c       replace_env_argv(): $$, ${NAME}, a lone $NAME word, at exec time
 *   src/basic/string-util.c    string_is_safe(), src/basic/path-util.c path_is_valid()
 * Everything works on UTF-8 bytes, as systemd does; results are decoded strictly (invalid UTF-8 is an error).
 */

const WHITESPACE = ' \t\n\r';
const ch = (s: string) => s.charCodeAt(0);
const isSeparator = (c: number) => c !== 0 && WHITESPACE.includes(String.fromCharCode(c));

export const EXTRACT_RELAX = 1 << 0;
export const EXTRACT_CUNESCAPE = 1 << 1;
export const EXTRACT_UNESCAPE_RELAX = 1 << 2;
export const EXTRACT_UNQUOTE = 1 << 4;

export class SystemdSyntaxError extends Error {
  override readonly name = 'SystemdSyntaxError';
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function bytesOf(text: string): Uint8Array {
  return encoder.encode(text);
}

function textOf(bytes: readonly number[] | Uint8Array, what: string): string {
  try {
    return decoder.decode(Uint8Array.from(bytes));
  } catch {
    throw new SystemdSyntaxError(`${what}: not valid UTF-8`);
  }
}

function utf8Encode(codePoint: number): number[] {
  if (codePoint < 0x80) return [codePoint];
  if (codePoint < 0x800) return [0xc0 | (codePoint >> 6), 0x80 | (codePoint & 0x3f)];
  if (codePoint < 0x10000) return [0xe0 | (codePoint >> 12), 0x80 | ((codePoint >> 6) & 0x3f), 0x80 | (codePoint & 0x3f)];
  return [0xf0 | (codePoint >> 18), 0x80 | ((codePoint >> 12) & 0x3f), 0x80 | ((codePoint >> 6) & 0x3f), 0x80 | (codePoint & 0x3f)];
}

function unhex(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  return -1;
}

/** cunescape_one(p, SIZE_MAX, ..., accept_nul = false): the escape after a backslash, or null if invalid. */
function cunescapeOne(s: Uint8Array, at: number): { length: number; bytes: number[] } | null {
  const c = s[at] ?? 0;
  const simple: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 0x5c, '"': 0x22, "'": 0x27, s: 0x20 };
  const letter = String.fromCharCode(c);
  if (c !== 0 && letter in simple) return { length: 1, bytes: utf8Encode(simple[letter] as number) };
  const hexDigits = (n: number): number | null => {
    let value = 0;
    for (let i = 1; i <= n; i++) {
      const d = unhex(s[at + i] ?? 0);
      if (d < 0) return null;
      value = value * 16 + d;
    }
    return value;
  };
  if (letter === 'x') {
    const value = hexDigits(2);
    if (value === null || value === 0) return null;
    return { length: 3, bytes: [value] }; // eight_bit: the byte as is
  }
  if (letter === 'u') {
    const value = hexDigits(4);
    if (value === null || value === 0) return null;
    return { length: 5, bytes: utf8Encode(value) };
  }
  if (letter === 'U') {
    const value = hexDigits(8);
    if (value === null || value === 0) return null;
    if (value > 0x10ffff || (value >= 0xd800 && value <= 0xdfff) || value === 0xfffe || value === 0xffff) return null; // unichar_is_valid
    return { length: 9, bytes: utf8Encode(value) };
  }
  if (c >= 0x30 && c <= 0x37) {
    const digits = [s[at] ?? 0, s[at + 1] ?? 0, s[at + 2] ?? 0];
    if (!digits.every((d) => d >= 0x30 && d <= 0x37)) return null;
    const value = digits.reduce((v, d) => v * 8 + (d - 0x30), 0);
    if (value === 0 || value > 255) return null;
    return { length: 3, bytes: [value] };
  }
  return null;
}

/**
 * extract_first_word(&p, &word, NULL, flags), NULL meaning whitespace separators. Returns the word (null: none
 * left) and where the next call starts (null: the end), or throws EINVAL as SystemdSyntaxError.
 */
export function extractFirstWord(s: Uint8Array, start: number | null, flags: number): { word: number[] | null; next: number | null } {
  if (start === null) return { word: null, next: null };
  let p = start;
  const at = (i: number) => s[i] ?? 0;
  let out: number[] | null = null;
  const terminate = () => ({ word: out, next: null });

  for (; ; p++) {
    const c = at(p);
    if (c === 0) return terminate();
    if (!isSeparator(c)) {
      out = [];
      break;
    }
  }
  const word = out;
  let quote = 0;
  let backslash = false;
  for (; ; p++) {
    let c = at(p);
    if (backslash) {
      if (c === 0) {
        if (flags & EXTRACT_UNESCAPE_RELAX && (quote === 0 || flags & EXTRACT_RELAX)) {
          word.push(ch('\\'));
          return terminate();
        }
        if (flags & EXTRACT_RELAX) return terminate();
        throw new SystemdSyntaxError('EINVAL: trailing backslash');
      }
      if (flags & EXTRACT_CUNESCAPE) {
        const unescaped = cunescapeOne(s, p);
        if (unescaped) {
          p += unescaped.length - 1;
          word.push(...unescaped.bytes);
        } else if (flags & EXTRACT_UNESCAPE_RELAX) {
          word.push(ch('\\'), c);
        } else {
          throw new SystemdSyntaxError(`EINVAL: unknown escape \\${String.fromCharCode(c)}`);
        }
      } else {
        word.push(c);
      }
      backslash = false;
    } else if (quote !== 0) {
      for (; ; p++) {
        c = at(p);
        if (c === 0) {
          if (flags & EXTRACT_RELAX) return terminate();
          throw new SystemdSyntaxError('EINVAL: unbalanced quote');
        } else if (c === quote) {
          quote = 0;
          if (flags & EXTRACT_UNQUOTE) break;
        } else if (c === ch('\\')) {
          backslash = true;
          break;
        }
        word.push(c);
        if (quote === 0) break;
      }
    } else {
      for (; ; p++) {
        c = at(p);
        if (c === 0) return terminate();
        if ((c === ch("'") || c === ch('"')) && flags & EXTRACT_UNQUOTE) {
          quote = c;
          break;
        } else if (c === ch('\\')) {
          backslash = true;
          break;
        } else if (isSeparator(c)) {
          for (; ; p++) {
            c = at(p);
            if (c === 0) return terminate();
            if (!isSeparator(c)) break;
          }
          return { word, next: p };
        }
        word.push(c);
      }
    }
  }
}

/** extract_first_word_and_warn(): on EINVAL, once more with EXTRACT_UNESCAPE_RELAX and a warning. */
function extractAndWarn(s: Uint8Array, start: number | null, flags: number, warnings: string[]) {
  try {
    return extractFirstWord(s, start, flags);
  } catch (error) {
    if (!(error instanceof SystemdSyntaxError) || flags & EXTRACT_UNESCAPE_RELAX) throw error;
    const relaxed = extractFirstWord(s, start, flags | EXTRACT_UNESCAPE_RELAX); // still EINVAL: unbalanced quoting
    warnings.push(`Ignoring unknown escape sequences: "${textOf(relaxed.word ?? [], 'word')}"`);
    return relaxed;
  }
}

/** The unit specifiers of systemd 252 (unit_full_printf and friends); each expands to a marker here. */
const KNOWN_SPECIFIERS = 'aAbBcCdEfgGhHiIjJlLmMnNopPqrRsStTuUvVwWyY';

export function specifierMarker(letter: string): string {
  return `\u0000%${letter}\u0000`;
}

/** specifier_printf(): `%%` is `%`, a known specifier its (marker) value, an unknown one an error. */
export function specifierPrintf(text: number[]): number[] {
  const out: number[] = [];
  let percent = false;
  for (const c of text) {
    if (percent) {
      percent = false;
      if (c === ch('%')) out.push(c);
      else if (KNOWN_SPECIFIERS.includes(String.fromCharCode(c))) out.push(...bytesOf(specifierMarker(String.fromCharCode(c))));
      else throw new SystemdSyntaxError(`unknown specifier %${String.fromCharCode(c)} (EBADSLT)`);
    } else if (c === ch('%')) percent = true;
    else out.push(c);
  }
  if (percent) out.push(ch('%'));
  return out;
}

export interface ExecCommand {
  /** the prefix characters before the path: - @ : + ! */
  readonly prefixes: string;
  /** what systemd executes */
  readonly path: string;
  /** argv before environment expansion (argv[0] included) */
  readonly argv: string[];
}

/** string_is_safe(): no control characters, no quotes, no backslash. */
function stringIsSafe(text: string): boolean {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this matches
  return !/[\u0001-\u001f"'\\\u007f]/.test(text);
}

/** config_parse_exec() on one Exec*= value; errors (the unit would not load) throw, warnings are collected. */
export function parseExecValue(rvalue: string, warnings: string[] = []): ExecCommand[] {
  const s = bytesOf(rvalue);
  const commands: ExecCommand[] = [];
  if (s.length === 0) return commands;
  let p: number | null = 0;
  const at = (i: number) => s[i] ?? 0;
  const isEmpty = () => p === null || at(p) === 0;
  let semicolon: boolean;
  do {
    semicolon = false;
    const first = extractAndWarn(s, p, EXTRACT_UNQUOTE | EXTRACT_CUNESCAPE, warnings);
    p = first.next;
    if (first.word === null) return commands;
    const firstWord = first.word;
    if (firstWord.length === 1 && firstWord[0] === ch(';')) {
      semicolon = true;
      continue;
    }
    let f = 0;
    let prefixes = '';
    let ignore = false;
    let separateArgv0 = false;
    let noEnv = false;
    let privileged = false;
    let noSetuid = false;
    let ambient = false;
    for (;;) {
      const c = String.fromCharCode(firstWord[f] ?? 0);
      if (c === '-' && !ignore) ignore = true;
      else if (c === '@' && !separateArgv0) separateArgv0 = true;
      else if (c === ':' && !noEnv) noEnv = true;
      else if (c === '+' && !(privileged || noSetuid || ambient)) privileged = true;
      else if (c === '!' && !(privileged || noSetuid || ambient)) noSetuid = true;
      else if (c === '!' && !(privileged || ambient)) {
        noSetuid = false;
        ambient = true;
      } else break;
      prefixes += c;
      f++;
    }
    const path = textOf(specifierPrintf(firstWord.slice(f)), 'executable path');
    if (path === '') throw new SystemdSyntaxError(`Empty path in command line: '${rvalue}'`);
    if (!stringIsSafe(path)) throw new SystemdSyntaxError(`Executable name contains special characters: ${path}`);
    if (path.endsWith('/')) throw new SystemdSyntaxError(`Executable path specifies a directory: ${path}`);
    if (!path.startsWith('/')) throw new SystemdSyntaxError(`not an absolute path (this parser does not search PATH): ${path}`);
    if (bytesOf(path).length >= 4096 || path.split('/').some((part) => bytesOf(part).length > 255)) {
      throw new SystemdSyntaxError(`Neither a valid executable name nor an absolute path: ${path}`);
    }
    const argv: string[] = separateArgv0 ? [] : [path];
    while (!isEmpty()) {
      const q = p as number;
      if (at(q) === ch(';') && (at(q + 1) === 0 || isSeparator(at(q + 1)))) {
        p = q + 1;
        while (isSeparator(at(p))) p++;
        semicolon = true;
        break;
      }
      if (at(q) === ch('\\') && at(q + 1) === ch(';') && (at(q + 2) === 0 || isSeparator(at(q + 2)))) {
        p = q + 2;
        while (isSeparator(at(p))) p++;
        argv.push(';');
        continue;
      }
      const next = extractAndWarn(s, p, EXTRACT_UNQUOTE | EXTRACT_CUNESCAPE, warnings);
      p = next.next;
      if (next.word === null) break;
      argv.push(textOf(specifierPrintf(next.word), 'argument'));
    }
    if (argv.length === 0) throw new SystemdSyntaxError(`Empty executable name or zeroeth argument: ${rvalue}`);
    commands.push({ prefixes, path: simplifyPath(path), argv });
  } while (semicolon);
  return commands;
}

/** path_simplify(): drop empty and `.` components (the path systemd keeps for execve). */
function simplifyPath(path: string): string {
  return '/' + path.split('/').filter((part) => part !== '' && part !== '.').join('/');
}

/** replace_env() without flags: `$$` -> `$`, `${NAME}` -> its value ('' if unset); anything else literal. */
export function replaceEnv(word: string, env: ReadonlyMap<string, string>): string {
  let out = '';
  let i = 0;
  while (i < word.length) {
    const c = word[i] as string;
    if (c !== '$') {
      out += c;
      i++;
      continue;
    }
    const next = word[i + 1];
    if (next === '$') {
      out += '$';
      i += 2;
    } else if (next === '{') {
      const close = word.indexOf('}', i + 2);
      const colon = word.indexOf(':', i + 2);
      if (close < 0 || (colon >= 0 && colon < close)) {
        // unsupported or unterminated: kept as written, scanning goes on after it
        const stop = close < 0 ? word.length : colon + 1;
        out += word.slice(i, stop);
        i = stop;
      } else {
        out += env.get(word.slice(i + 2, close)) ?? '';
        i = close + 1;
      }
    } else {
      out += '$';
      i++;
    }
  }
  return out;
}

/** replace_env_argv(): a word that is `$NAME` (not `${` or `$$`) becomes the value split like a command line. */
export function replaceEnvArgv(argv: readonly string[], env: ReadonlyMap<string, string>): string[] {
  const out: string[] = [];
  for (const word of argv) {
    if (word.startsWith('$') && word[1] !== '{' && word[1] !== '$') {
      const value = env.get(word.slice(1));
      if (value === undefined) continue;
      const s = bytesOf(value);
      let p: number | null = 0;
      for (;;) {
        const r = extractFirstWord(s, p, EXTRACT_RELAX | EXTRACT_UNQUOTE);
        if (r.word === null) break;
        out.push(textOf(r.word, 'split variable'));
        p = r.next;
      }
      continue;
    }
    out.push(replaceEnv(word, env));
  }
  return out;
}

/** What the process gets: argv after environment expansion (none with the `:` prefix). */
export function execArgv(command: ExecCommand, env: ReadonlyMap<string, string>): string[] {
  return command.prefixes.includes(':') ? [...command.argv] : replaceEnvArgv(command.argv, env);
}

/** utf8_is_valid(): well-formed UTF-8 (guaranteed here) without noncharacters (unichar_is_valid()). */
export function utf8IsValid(text: string): boolean {
  for (const c of text) {
    const code = c.codePointAt(0) ?? 0;
    if ((code >= 0xfdd0 && code <= 0xfdef) || (code & 0xfffe) === 0xfffe) return false;
  }
  return true;
}

/** env_assignment_is_valid(): a valid name, `=`, a value that passes utf8_is_valid(). */
function envAssignmentIsValid(assignment: string): boolean {
  const eq = assignment.indexOf('=');
  return eq > 0 && /^[A-Za-z_][A-Za-z0-9_]*$/.test(assignment.slice(0, eq)) && utf8IsValid(assignment.slice(eq + 1));
}

/** config_parse_environ(): the NAME=VALUE assignments of one Environment= value; warnings for what is dropped. */
export function parseEnvironmentValue(rvalue: string, warnings: string[] = []): string[] {
  const s = bytesOf(rvalue);
  const out: string[] = [];
  let p: number | null = 0;
  for (;;) {
    let r: ReturnType<typeof extractFirstWord>;
    try {
      r = extractFirstWord(s, p, EXTRACT_CUNESCAPE | EXTRACT_UNQUOTE);
    } catch {
      warnings.push(`Invalid syntax, ignoring: ${rvalue}`);
      return out;
    }
    if (r.word === null) return out;
    p = r.next;
    let resolved: string;
    try {
      resolved = textOf(specifierPrintf(r.word), 'assignment');
    } catch (error) {
      warnings.push(`Failed to resolve specifiers, ignoring: ${String(error)}`);
      continue;
    }
    if (!envAssignmentIsValid(resolved)) {
      warnings.push(`Invalid environment assignment, ignoring: ${resolved}`);
      continue;
    }
    out.push(resolved);
  }
}

export interface UnitLine {
  readonly section: string;
  readonly key: string;
  readonly value: string;
  /** 1-based line number where the setting starts */
  readonly line: number;
}

/**
 * conf-parser.c config_parse(): lines end at \n, \r or NUL; a line whose first non-blank is `#` or `;` is a comment
 * (also inside a continuation); a line ending in an unescaped backslash continues on the next (that backslash
 * becomes a space); then parse_line() strips blanks: `[Section]` or `Key=Value`; an assignment that fails
 * utf8_is_valid() is ignored with a warning ("String is not UTF-8 clean, ignoring assignment").
 */
export function parseUnitFile(text: string, warnings: string[] = []): UnitLine[] {
  const lines = text.split(/\r\n|\n|\r|\0/);
  const out: UnitLine[] = [];
  const strip = (t: string) => t.replace(/^[ \t\n\r]+|[ \t\n\r]+$/g, '');
  let section = '';
  let continuation: { start: number; text: string } | null = null;
  lines.forEach((raw, index) => {
    const lead = raw.replace(/^[ \t\n\r]+/, '');
    if (lead.startsWith('#') || lead.startsWith(';')) return;
    const start = continuation?.start ?? index + 1;
    const logical = (continuation?.text ?? '') + raw;
    continuation = null;
    let escaped = false;
    for (const c of logical) escaped = escaped ? false : c === '\\';
    if (escaped) {
      continuation = { start, text: logical.slice(0, -1) + ' ' };
      return;
    }
    const line = strip(logical);
    if (line === '') return;
    if (line.startsWith('[') && line.endsWith(']')) {
      section = line.slice(1, -1);
      return;
    }
    const eq = line.indexOf('=');
    if (eq < 0) throw new SystemdSyntaxError(`line ${start}: missing '=': ${line}`);
    if (!utf8IsValid(line)) {
      warnings.push(`line ${start}: String is not UTF-8 clean, ignoring assignment: ${line}`);
      return;
    }
    out.push({ section, key: strip(line.slice(0, eq)), value: strip(line.slice(eq + 1)), line: start });
  });
  if (continuation !== null) throw new SystemdSyntaxError('file ends in a continuation line');
  return out;
}

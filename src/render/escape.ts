/**
 * One escaper per output context. Each either returns text that the target reads back as exactly the input, or
 * throws EscapeError for input that context cannot hold (validation rejects such input earlier, with a position;
 * these checks are the last line of defence, so a template can never emit a directive-splitting newline).
 *
 * Facts behind each rule: systemd.service(5) "Command lines", systemd.exec(5) "Environment=",
 * systemd.unit(5) "Specifiers"; dash(1) "Quoting"; svlogd(8) "Config".
 */

export class EscapeError extends Error {
  override readonly name = 'EscapeError';
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this matches
const CONTROL = /[\u0000-\u001f\u007f]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this matches
const CONTROL_EXCEPT_TAB = /[\u0000-\u0008\u000a-\u001f\u007f]/;

/** A variable name every consumer takes: POSIX sh, env(1), systemd's Environment= (the schema's envName too). */
export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function reject(context: string, value: string, why: string): never {
  throw new EscapeError(`${context}: cannot hold ${JSON.stringify(value)}: ${why}`);
}

/** POSIX sh: single quotes keep every byte literally; a quote itself is closed, escaped and reopened. */
export function shQuote(value: string): string {
  if (value.includes('\u0000')) reject('sh', value, 'NUL cannot be passed in an argument');
  return `'${value.split("'").join(`'\\''`)}'`;
}

/** Several words for one sh command line. */
export function shArgv(argv: readonly string[]): string {
  return argv.map(shQuote).join(' ');
}

const UTF8 = new TextEncoder();

/**
 * Unicode noncharacters (U+FDD0..U+FDEF, U+xxFFFE, U+xxFFFF): valid UTF-8, yet systemd's utf8_is_valid() refuses
 * them (unichar_is_valid()), and a unit line holding one is ignored ("String is not UTF-8 clean").
 */
function isNoncharacter(code: number): boolean {
  return (code >= 0xfdd0 && code <= 0xfdef) || (code & 0xfffe) === 0xfffe;
}

/**
 * One argument of a systemd Exec*= line: double-quoted with C escapes, then `%` and `$` doubled, because systemd
 * expands specifiers and $VARIABLES even inside quotes (an unknown specifier such as `%Z` makes the unit fail).
 * A noncharacter is written as its UTF-8 bytes in `\xNN` escapes, which keep the line clean and the argument exact.
 */
export function systemdExecArg(value: string): string {
  if (value.includes('\u0000')) reject('systemd Exec', value, 'NUL cannot be passed in an argument');
  let out = '"';
  for (const char of value) {
    switch (char) {
      case '\\':
        out += '\\\\';
        break;
      case '"':
        out += '\\"';
        break;
      case '\n':
        out += '\\n';
        break;
      case '\t':
        out += '\\t';
        break;
      case '%':
        out += '%%';
        break;
      case '$':
        out += '$$';
        break;
      default: {
        const code = char.codePointAt(0) ?? 0;
        if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
        else if (isNoncharacter(code)) for (const byte of UTF8.encode(char)) out += `\\x${byte.toString(16)}`;
        else out += char;
      }
    }
  }
  return out + '"';
}

/**
 * A whole Exec*= command line. Every word is quoted, so a leading `-`, `@` or `;` is never read as syntax.
 * systemd undoes `$$` in the arguments (argv[0] included) but never in the path it executes, so a program path
 * with a `$` is written as `@PATH ARGV0`: the path with its `$` as is, then argv[0] escaped like any argument.
 */
export function systemdExecLine(argv: readonly string[]): string {
  const program = argv[0];
  if (program === undefined || !program.startsWith('/')) {
    reject('systemd Exec', program ?? '', 'the program must be an absolute path');
  }
  // load-fragment.c refuses such a path ("Executable name contains special characters"): string_is_safe()
  if (/["'\\]/.test(program) || CONTROL.test(program)) {
    reject('systemd Exec', program, 'systemd refuses quotes, backslashes and control characters in the program path');
  }
  const words = argv.map(systemdExecArg);
  if (!program.includes('$')) return words.join(' ');
  return [`@${systemdExecArg(program).replaceAll('$$', '$')}`, ...words].join(' ');
}

/**
 * `Environment="NAME=VALUE"`: inside the quotes `\` and `"` are escaped and `%` doubled; `$` stays literal here
 * (Environment= does not expand variables). A control character would need an escape systemd does not offer here.
 */
export function systemdEnvironment(name: string, value: string): string {
  if (!ENV_NAME.test(name)) reject('systemd Environment=', name, 'not a variable name');
  if (CONTROL_EXCEPT_TAB.test(value)) reject('systemd Environment=', value, 'control characters');
  for (const char of value) {
    // systemd drops such an assignment ("Invalid environment assignment"): env_value_is_valid() -> utf8_is_valid()
    if (isNoncharacter(char.codePointAt(0) ?? 0)) reject('systemd Environment=', value, 'systemd refuses Unicode noncharacters in a value');
  }
  const escaped = value.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('%', '%%').replaceAll('\t', '\\t');
  return `"${name}=${escaped}"`;
}

/** A bare path value (WorkingDirectory=, EnvironmentFile=, ...): quotes would become part of the path; `%` doubled. */
export function systemdPath(path: string): string {
  if (!path.startsWith('/')) reject('systemd path', path, 'not absolute');
  if (CONTROL.test(path) || path.includes('\\')) reject('systemd path', path, 'control characters or backslash');
  if (path !== path.trim()) reject('systemd path', path, 'leading or trailing whitespace is stripped by systemd');
  return path.replaceAll('%', '%%');
}

/**
 * Free text (Description=) and any other single-line value: `%` doubled; a trailing backslash would continue the
 * line into the next directive, and surrounding whitespace is stripped by systemd, so both are refused.
 */
export function systemdValue(value: string): string {
  if (CONTROL.test(value)) reject('systemd value', value, 'control characters would split or corrupt the line');
  if (value.endsWith('\\')) reject('systemd value', value, 'a trailing backslash continues the line');
  if (value !== value.trim()) reject('systemd value', value, 'leading or trailing whitespace is stripped by systemd');
  return value.replaceAll('%', '%%');
}

/**
 * A raw directive value from `hardening.systemd`: written as systemd syntax on purpose (specifiers such as %n work,
 * %% is a literal percent), so only the line structure is protected: one line, nothing that continues it.
 */
export function systemdRawValue(value: string): string {
  if (CONTROL.test(value)) reject('systemd raw value', value, 'control characters would split or corrupt the line');
  if (value.endsWith('\\')) reject('systemd raw value', value, 'a trailing backslash continues the line');
  return value;
}

/** A word that must stay one token with no expansion at all: directive names, unit names, enum values. */
export function systemdWord(value: string): string {
  if (!/^[A-Za-z0-9@:_.\\+=-]+$/.test(value)) reject('systemd word', value, 'not a plain word');
  return value;
}

/** One line of svlogd's `config` file: the first character is the command, the rest its argument; no newlines. */
export function svlogdConfigLine(line: string): string {
  if (CONTROL.test(line)) reject('svlogd config', line, 'control characters would split the line');
  if (!/^[snNtuUeE!+-]/.test(line)) reject('svlogd config', line, 'not an svlogd config command');
  return line;
}

/**
 * One field of a sysusers.d(5) line: systemd-sysusers splits fields like a shell would (quotes removed, `\` escapes
 * the next character) and expands specifiers, so `%` is doubled and a field with a blank, quote or backslash is
 * double-quoted with `\` and `"` escaped. A passwd field cannot hold `:` or a control character.
 */
export function sysusersField(value: string): string {
  if (CONTROL.test(value) || value.includes(':')) reject('sysusers.d', value, 'control characters or a colon cannot go into /etc/passwd');
  const escaped = value.replaceAll('%', '%%');
  if (!/[\s"'\\]/.test(escaped)) return escaped;
  return `"${escaped.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}

/** A `# ...` comment line in any of the generated formats. */
export function commentLine(text: string): string {
  if (CONTROL.test(text)) reject('comment', text, 'control characters would end the comment');
  return `# ${text}`.trimEnd();
}

/**
 * One item of a space-separated list setting (ReadWritePaths=, StateDirectory=...): systemd splits such lists on
 * whitespace and removes quotes, so an item with a space or quote is double-quoted with `\` and `"` escaped.
 * The line still goes through systemdValue for `%`.
 */
export function systemdListItem(item: string): string {
  if (CONTROL.test(item)) reject('systemd list item', item, 'control characters');
  if (!/[\s"'\\]/.test(item)) return item;
  return `"${item.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}

/**
 * One value of a dinit service description (dinit-service(5), 0.22: `command =`, `logfile =`, `working-dir =`...):
 * double-quoted, `\` and `"` escaped with `\`, and `$` doubled. dinit splits on whitespace, groups `"..."`, takes `\`
 * as "the next character literally" everywhere, and THEN substitutes variables on every `$` (a backslash does not
 * stop it; a lone `$` makes the whole file unloadable): only `$$` is a literal `$`. `%`, `#`, quotes, tabs and every
 * other character are literal inside the quotes (test/harness/inits-facts.md, proven with the probe). A newline
 * cannot be written (a continuation line would add the next line's leading blanks), nor NUL.
 */
export function dinitValue(value: string): string {
  if (value.includes('\u0000')) reject('dinit value', value, 'NUL cannot be passed in an argument');
  if (value.includes('\n')) reject('dinit value', value, 'dinit cannot hold a newline in a value');
  return `"${value.replace(/[\\"$]/g, (c) => (c === '$' ? '$$' : `\\${c}`))}"`;
}

/** A whole dinit command line: every word a quoted dinitValue (so no word is ever read as syntax). */
export function dinitCommandLine(argv: readonly string[]): string {
  if (argv.length === 0 || !argv[0]?.startsWith('/')) reject('dinit command', argv[0] ?? '', 'the program must be an absolute path');
  return argv.map(dinitValue).join(' ');
}

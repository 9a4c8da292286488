/**
 * The quoting rules the init-system tests prove against the real parsers (see inits-facts.md): each one turns an
 * argument or value into text that the init reads back exactly. Candidates for the dinit, s6 and OpenRC targets;
 * replacements use callbacks, never replacement strings (`$$` and `$&` mean something to String.replace).
 */

/** dinit `command =` (0.22): one double-quoted token; `\` and `"` escaped; `$` doubled (a backslash does not stop
 * variable substitution, `$$` does). A newline cannot be written (see the facts). */
export function dinitArg(arg: string): string {
  if (arg.includes('\n')) throw new Error('dinit cannot hold a newline in an argument');
  return `"${arg.replace(/[\\"$]/g, (c) => (c === '$' ? '$$' : `\\${c}`))}"`;
}

/** A dinit env-file line: the value is everything after the first `=`, verbatim (no quotes, escapes or $). */
export function dinitEnvLine(name: string, value: string): string {
  if (/[\n=\s]/.test(name) || name === '' || /^[#!]/.test(name)) throw new Error(`dinit env-file cannot name ${JSON.stringify(name)}`);
  if (value.includes('\n')) throw new Error('a dinit env-file value cannot hold a newline');
  return `${name}=${value}\n`;
}

/** POSIX sh: one single-quoted word ('\'' for a quote). Exact for every string without NUL. */
export function shArg(arg: string): string {
  return `'${arg.replace(/'/g, () => "'\\''")}'`;
}

/** execline (execlineb): one double-quoted word, `\` and `"` escaped. Exact as long as no substitution command
 * (importas, define, multisubstitute...) runs before it: those rewrite `$NAME` and `${NAME}` in what follows. */
export function execlineArg(arg: string): string {
  return `"${arg.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/**
 * OpenRC (openrc-run + supervise-daemon): command, command_args, directory, output_log... are expanded unquoted and
 * then `eval`ed, so a quoted value loses every run of whitespace (it is split, then joined with one space) and
 * anything else is shell text. Exact: hold each value in a variable of its own (single-quoted) and let the eval
 * expand a double-quoted reference to it. The prefix keeps clear of openrc-run.sh's own variables (it uses _cmd...).
 */
export function openrcIndirect(prefix: string, values: readonly string[]): { assignments: string; references: string } {
  const names = values.map((_, i) => `pvpn_${prefix}_${i + 1}`);
  return {
    assignments: values.map((value, i) => `${names[i]}=${shArg(value)}\n`).join(''),
    references: names.map((name) => `"$${name}"`).join(' '),
  };
}

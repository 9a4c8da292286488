/**
 * Every escaper refuses what its output format cannot hold, naming the context and the reason, instead of writing a
 * file that means something else. Validation refuses these values earlier (with a position in the spec); these tests
 * hold the last line of defence on its own, for the API and for templates that pass other values.
 */
import { describe, expect, test } from 'vitest';
import {
  EscapeError,
  commentLine,
  shArgv,
  shQuote,
  svlogdConfigLine,
  sysusersField,
  systemdEnvironment,
  systemdExecArg,
  systemdExecLine,
  systemdListItem,
  systemdPath,
  systemdRawValue,
  systemdValue,
  systemdWord,
} from '../../src/render/escape.js';

const refusals: Array<[string, () => string, RegExp]> = [
  ['sh: NUL', () => shQuote('a\u0000b'), /^sh: cannot hold .*NUL/],
  ['sh argv: NUL in any word', () => shArgv(['/bin/x', 'ok', 'a\u0000']), /^sh: cannot hold/],
  ['Exec: NUL', () => systemdExecArg('a\u0000'), /^systemd Exec: .*NUL/],
  ['Exec: a relative program', () => systemdExecLine(['bin/job']), /^systemd Exec: .*absolute path/],
  ['Exec: no program', () => systemdExecLine([]), /^systemd Exec: .*absolute path/],
  ['Exec: a quote in the program', () => systemdExecLine(['/opt/it\'s/job']), /^systemd Exec: .*quotes, backslashes/],
  ['Exec: a backslash in the program', () => systemdExecLine(['/opt/a\\b']), /^systemd Exec: .*quotes, backslashes/],
  ['Environment=: a bad name', () => systemdEnvironment('1X', 'v'), /^systemd Environment=: .*not a variable name/],
  ['Environment=: a newline', () => systemdEnvironment('X', 'a\nb'), /^systemd Environment=: .*control characters/],
  ['Environment=: a noncharacter', () => systemdEnvironment('X', 'a\ufffeb'), /^systemd Environment=: .*noncharacters/],
  ['Environment=: an astral noncharacter', () => systemdEnvironment('X', '\u{10ffff}'), /noncharacters/],
  ['path: relative', () => systemdPath('var/lib/x'), /^systemd path: .*not absolute/],
  ['path: a backslash', () => systemdPath('/var/a\\b'), /^systemd path: .*backslash/],
  ['path: a newline', () => systemdPath('/var/a\nb'), /^systemd path: .*control characters/],
  ['path: a trailing blank', () => systemdPath('/var/a '), /^systemd path: .*whitespace/],
  ['value: a newline', () => systemdValue('a\nb'), /^systemd value: .*split or corrupt/],
  ['value: a trailing backslash', () => systemdValue('a\\'), /^systemd value: .*continues the line/],
  ['value: a leading blank', () => systemdValue(' a'), /^systemd value: .*whitespace/],
  ['raw value: a carriage return', () => systemdRawValue('a\rb'), /^systemd raw value: .*split or corrupt/],
  ['raw value: a trailing backslash', () => systemdRawValue('a\\'), /^systemd raw value: .*continues the line/],
  ['word: a blank', () => systemdWord('a b'), /^systemd word: .*not a plain word/],
  ['word: empty', () => systemdWord(''), /^systemd word: .*not a plain word/],
  ['svlogd: a newline', () => svlogdConfigLine('s100\nn3'), /^svlogd config: .*split the line/],
  ['svlogd: not a command', () => svlogdConfigLine('x100'), /^svlogd config: .*not an svlogd config command/],
  ['sysusers: a colon', () => sysusersField('a:b'), /^sysusers\.d: .*colon/],
  ['sysusers: a newline', () => sysusersField('a\nb'), /^sysusers\.d: .*control characters/],
  ['comment: a newline', () => commentLine('a\nrm -rf /'), /^comment: .*end the comment/],
  ['list item: a tab', () => systemdListItem('a\u0001'), /^systemd list item: .*control characters/],
];

describe('each escaper refuses what its format cannot hold', () => {
  test.each(refusals)('%s', (_what, escaper, message) => {
    let thrown: unknown;
    try {
      escaper();
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(EscapeError);
    expect((thrown as Error).message).toMatch(message);
  });
});

test('the values next to the refused ones are accepted', () => {
  expect(shQuote("it's")).toBe("'it'\\''s'");
  expect(systemdExecLine(['/usr/bin/env', '100%', '$HOME'])).toBe('"/usr/bin/env" "100%%" "$$HOME"');
  expect(systemdPath('/var/lib/my job')).toBe('/var/lib/my job');
  expect(systemdValue('a\\b')).toBe('a\\b');
  expect(systemdEnvironment('X', 'tab\there')).toMatch(/^"X=/);
  expect(svlogdConfigLine('s1048576')).toBe('s1048576');
  expect(sysusersField('pvpn-gen service x')).toBe('"pvpn-gen service x"');
  expect(commentLine('fine')).toBe('# fine');
});

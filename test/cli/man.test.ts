/**
 * pvpn-gen(1) (issue 15): dist/pvpn-gen.1, written by the build from the command list and the README's exit codes,
 * renders without a warning in man and groff, documents every command and option, and is reproducible.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { COMMANDS } from '../../src/cli/commands-table.js';
import { flagName, GLOBAL_OPTIONS } from '../../src/cli/define.js';
import { manPage, readmeExitCodes, roffText } from '../../src/cli/man.js';
import { REPO } from '../support/paths.js';
import { requireTool } from '../support/tools.js';

const PAGE = `${REPO}/dist/pvpn-gen.1`;
const readme = readFileSync(`${REPO}/README.md`, 'utf8');

/** Text without man's overstrike (bold: X backspace X; underline: _ backspace X). */
function overstruck(text: string): string {
  let out = '';
  for (const c of text) out = c.charCodeAt(0) === 8 ? out.slice(0, -1) : out + c;
  return out;
}

/** The page as man shows it, in plain text (no bold, no hyphenation, wide enough for one option a line). */
function rendered(): { text: string; warnings: string } {
  const r = spawnSync(requireTool('man'), ['--warnings', '-l', PAGE], {
    encoding: 'utf8',
    env: { ...process.env, MANWIDTH: '200', MAN_KEEP_FORMATTING: '', MANPAGER: 'cat', PAGER: 'cat', LANG: 'C.UTF-8' },
  });
  expect(r.status).toBe(0);
  return { text: overstruck(r.stdout).replace(/‐/g, '-'), warnings: r.stderr };
}

test('man --warnings -l renders it without a warning', () => {
  expect(rendered().warnings).toBe('');
});

test('groff -man -ww finds nothing to warn about', () => {
  const r = spawnSync(requireTool('groff'), ['-man', '-Tutf8', '-ww', '-z', PAGE], { encoding: 'utf8' });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
});

test('every command, its arguments and options, and every global option are on the page', () => {
  const { text } = rendered();
  for (const command of COMMANDS) {
    expect(text).toContain(command.name);
    for (const key of Object.keys(command.options)) expect(text).toContain(`--${flagName(key)}`);
  }
  for (const key of Object.keys(GLOBAL_OPTIONS)) expect(text).toContain(`--${flagName(key)}`);
  expect(text).toMatch(/^ +set <key> <value>$/m);
});

test("the exit codes are the README's", () => {
  const codes = readmeExitCodes(readme);
  expect(codes.map(([code]) => code)).toEqual(['0', '1', '2', '70', '75']);
  const section = rendered().text.split('EXIT STATUS')[1]?.split('FILES')[0] ?? '';
  for (const [code, meaning] of codes) expect(section).toMatch(new RegExp(`^ +${code} +${meaning.split(/[ (`]/)[0]}`, "im"));
});

test('reproducible: the same sources and date give the same page, with no time, host or path in it', () => {
  const input = { commands: COMMANDS, version: '1.2.3', date: '2026-01-02', exitCodes: readmeExitCodes(readme) };
  expect(manPage(input)).toBe(manPage(input));
  expect(manPage(input)).toContain('.TH PVPN\\-GEN 1 "2026-01-02" "pvpn\\-gen 1.2.3"');
  expect(manPage(input)).not.toContain(REPO);
  // the build dates it by SOURCE_DATE_EPOCH
  const built = execFileSync(process.execPath, ['-e', 'process.stdout.write(require("fs").readFileSync(process.argv[1], "utf8").split("\\n")[0])', PAGE], { encoding: 'utf8' });
  expect(built).toMatch(/^\.TH PVPN\\-GEN 1 "(\d{4}-\d\d-\d\d)?" "pvpn\\-gen \d+\.\d+\.\d+"/);
});

test('roff: text that would be a request or an escape stays text', () => {
  expect(roffText(".TH x\n'y \\n --z")).toBe("\\&.TH x\n\\&'y \\en \\-\\-z");
});

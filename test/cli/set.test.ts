/**
 * `pvpn-gen set` and `unset` (issue 15): one key changes, every other byte of the file stays (comments, quotes,
 * flow or block style, blank lines); an invalid result writes nothing and points at the value; the file is
 * replaced, keeping its mode; YAML, JSON and package.json specs.
 */
import { chmodSync, mkdtempSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { structuredPatch } from 'diff';
import { describe, expect, test } from 'vitest';
import { STARTER_SPEC } from '../../src/cli/starter-spec.js';
import { editSpecText, keyPath, parseValue } from '../../src/model/edit.js';
import { cli } from '../support/cli.js';
import { SEED_SPEC } from '../support/paths.js';

const SEED = readFileSync(SEED_SPEC, 'utf8');

function specDir(text = SEED, name = 'pvpn-gen.yaml'): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'pvpn-set-'));
  writeFileSync(join(dir, name), text);
  return { dir, file: join(dir, name) };
}

/** The lines that changed, as a unified diff's body (- and + lines only). */
function changedLines(before: string, after: string): string[] {
  return structuredPatch('a', 'b', before, after, '', '', { context: 0 }).hunks.flatMap((h) => h.lines);
}

describe('set', () => {
  test('a scalar: only its line changes; says what changed and what to run next', async () => {
    const { dir, file } = specDir();
    const r = await cli(['set', 'protonvpn-updater.interval', '2h'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('pvpn-gen.yaml: protonvpn-updater.interval: 1h -> 2h\n');
    expect(r.stderr).toContain('pvpn-gen diff');
    expect(changedLines(SEED, readFileSync(file, 'utf8'))).toEqual(['-    interval: 1h', '+    interval: 2h']);
    // nothing left behind: no temp file beside it
    expect(readdirSync(dir)).toEqual(['pvpn-gen.yaml']);
  });

  test.each([
    ['inside a flow mapping', 'protonvpn-updater.limits.memory', '60M', ['-    limits: { memory: 50M, cpu: 10%, nofile: 1024, nproc: 64, runtime: 10min }', '+    limits: { memory: 60M, cpu: 10%, nofile: 1024, nproc: 64, runtime: 10min }']],
    ['inside a flow list, keeping its quotes', 'protonvpn-updater.onFailure', '[/usr/local/bin/protonvpn-notify, --urgency=low, "failed"]', ['-    onFailure: [/usr/local/bin/protonvpn-notify, --urgency=critical, "ProtonVPN config update failed"]', '+    onFailure: [/usr/local/bin/protonvpn-notify, --urgency=low, failed]']],
    ['a new key at the end of its mapping', 'protonvpn-updater.nice', '10', ['+    nice: 10']],
    ['a new top-level mapping', 'defaults.group', 'staff', ['+defaults:', '+  group: staff']],
    ['a string that reads as a number unquoted gets quotes', 'protonvpn-updater.description', '"42"', ['-    description: ProtonVPN config auto-updater', '+    description: "42"']],
  ])('%s', async (_what, key, value, lines) => {
    const { dir, file } = specDir();
    const r = await cli(['set', key, value], { cwd: dir });
    expect(r.stderr).not.toContain('error');
    expect(r.code).toBe(0);
    expect(changedLines(SEED, readFileSync(file, 'utf8'))).toEqual(lines);
  });

  test('an invalid value writes nothing and says why, at the value', async () => {
    const { dir, file } = specDir();
    const r = await cli(['set', 'protonvpn-updater.nice', '40'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^pvpn-gen\.yaml:23:11: error: \/services\/protonvpn-updater\/nice: .*from -20 to 19/m);
    expect(r.stderr).toContain('nothing was written');
    expect(readFileSync(file, 'utf8')).toBe(SEED);
    const bad = await cli(['set', 'protonvpn-updater.interval', '5 parsecs'], { cwd: dir });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^pvpn-gen\.yaml:12:15: error: \/services\/protonvpn-updater\/interval/m);
    expect(readFileSync(file, 'utf8')).toBe(SEED);
  });

  test('keeps the mode of the file, and a symbolic link stays a link to the edited file', async () => {
    const { dir, file } = specDir();
    chmodSync(file, 0o640);
    symlinkSync(file, join(dir, 'link.yaml'));
    const r = await cli(['--spec', join(dir, 'link.yaml'), 'set', 'protonvpn-updater.interval', '3h']);
    expect(r.code).toBe(0);
    expect(statSync(file).mode & 0o777).toBe(0o640);
    expect(readFileSync(file, 'utf8')).toContain('interval: 3h');
  });

  test('the same value again changes nothing', async () => {
    const { dir, file } = specDir();
    const before = statSync(file).mtimeMs;
    const r = await cli(['set', 'protonvpn-updater.interval', '1h'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('nothing changed');
    expect(statSync(file).mtimeMs).toBe(before);
  });

  test('a JSON spec: the value spliced in, the layout kept', async () => {
    const json = '{\n  "version": 1,\n  "services": {\n    "job": {\n      "command": ["/bin/true"],\n      "interval": "1h"\n    }\n  }\n}\n';
    const { dir, file } = specDir(json, 'pvpn-gen.json');
    expect((await cli(['set', 'job.interval', '2h'], { cwd: dir })).code).toBe(0);
    expect((await cli(['set', 'job.nice', '5'], { cwd: dir })).code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe('{\n  "version": 1,\n  "services": {\n    "job": {\n      "command": ["/bin/true"],\n      "interval": "2h",\n      "nice": 5\n    }\n  }\n}\n');
    expect((await cli(['unset', 'job.nice'], { cwd: dir })).code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(json.replace('"1h"', '"2h"'));
  });

  test('package.json: the spec under its "pvpn-gen" key', async () => {
    const pkg = '{\n  "name": "app",\n  "pvpn-gen": {\n    "version": 1,\n    "services": { "job": { "command": ["/bin/true"], "interval": "1h" } }\n  }\n}\n';
    const { dir, file } = specDir(pkg, 'package.json');
    const r = await cli(['set', 'job.interval', '4h'], { cwd: dir });
    expect(r.stderr).not.toContain('error');
    expect(readFileSync(file, 'utf8')).toBe(pkg.replace('"1h"', '"4h"'));
  });
});

describe('unset', () => {
  test('removes the line; the rest stays', async () => {
    const { dir, file } = specDir();
    const r = await cli(['unset', 'protonvpn-updater.onBoot'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(changedLines(SEED, readFileSync(file, 'utf8'))).toEqual(['-    onBoot: 2m']);
  });

  test('a required key cannot go: nothing is written', async () => {
    const { dir, file } = specDir();
    const r = await cli(['unset', 'protonvpn-updater.command'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(readFileSync(file, 'utf8')).toBe(SEED);
  });
});

describe('the edit itself (model/edit.ts)', () => {
  test('keys and values', () => {
    expect(keyPath('job.interval')).toEqual(['services', 'job', 'interval']);
    expect(keyPath('defaults.user')).toEqual(['defaults', 'user']);
    expect(() => keyPath('job..x')).toThrow(/SERVICE\.FIELD/);
    expect([parseValue('2h'), parseValue('5'), parseValue('true'), parseValue('[a, b]'), parseValue('')]).toEqual(['2h', 5, true, ['a', 'b'], '']);
  });

  test("init's commented starter spec: a key added and removed again leaves every comment and line as it was", () => {
    const added = editSpecText(STARTER_SPEC, 'yaml', [], { path: ['defaults', 'nice'], value: 5 }).text;
    expect(changedLines(STARTER_SPEC, added).every((line) => line.startsWith('+'))).toBe(true);
    const removed = editSpecText(added, 'yaml', [], { path: ['defaults', 'nice'] }).text;
    expect(removed).toBe(STARTER_SPEC);
  });
});

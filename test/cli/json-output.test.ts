/**
 * --json (issue 15): one JSON document on stdout with schemaVersion and command, messages on stderr, no colour;
 * the shapes the README's "Machine-readable output" shows.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { cli } from '../support/cli.js';
import { SEED_SPEC } from '../support/paths.js';

const temp = (prefix: string) => mkdtempSync(join(tmpdir(), `pvpn-json-${prefix}-`));
const json = (stdout: string) => JSON.parse(stdout) as Record<string, unknown> & { schemaVersion: number; command: string };

describe('validate --json', () => {
  test('a valid spec: valid, its services, its warnings as problems', async () => {
    const r = await cli(['--spec', SEED_SPEC, 'validate', '--json']);
    expect(r.code).toBe(0);
    const doc = json(r.stdout);
    expect(doc).toMatchObject({ schemaVersion: 1, command: 'validate', valid: true, services: ['protonvpn-updater'] });
    const problems = doc.problems as Array<Record<string, unknown>>;
    expect(problems.length).toBeGreaterThan(0); // runit cannot express everything of the seed spec
    for (const p of problems) expect(Object.keys(p).sort()).toEqual(['column', 'file', 'line', 'message', 'pointer', 'severity']);
    expect(problems[0]).toMatchObject({ severity: 'warning', file: SEED_SPEC });
  });

  test('an invalid spec: every problem with file, line, column, pointer and severity; exit 1', async () => {
    const spec = join(temp('bad'), 'pvpn-gen.yaml');
    writeFileSync(spec, 'version: 1\nservices:\n  job:\n    command: [/bin/true]\n    interval: 5 parsecs\n    nice: 40\n');
    const r = await cli(['--spec', spec, 'validate', '--json']);
    expect(r.code).toBe(1);
    const doc = json(r.stdout);
    expect(doc).toMatchObject({ schemaVersion: 1, command: 'validate', valid: false, file: spec });
    expect(doc.problems).toEqual([
      { severity: 'error', file: spec, line: 5, column: 15, pointer: '/services/job/interval', message: expect.stringContaining('"5 parsecs" is not valid') },
      { severity: 'error', file: spec, line: 6, column: 11, pointer: '/services/job/nice', message: expect.any(String) },
    ]);
    expect(r.stderr).toBe('pvpn-gen: 2 problems in the spec\n');
  });

  test('a spec that does not parse is a document too', async () => {
    const spec = join(temp('yaml'), 'pvpn-gen.yaml');
    writeFileSync(spec, 'version: 1\nservices: [\n');
    const r = await cli(['--spec', spec, 'validate', '--json']);
    expect(r.code).toBe(1);
    expect(json(r.stdout)).toMatchObject({ valid: false, problems: [{ severity: 'error', line: 3, column: 1, pointer: '' }] });
  });
});

describe('render --json', () => {
  test('every file with path, mode and content, the links, and the warnings; the same content as the text output', async () => {
    const r = await cli(['--spec', SEED_SPEC, 'render', '--target', 'runit', '--json']);
    expect(r.code).toBe(0);
    const doc = json(r.stdout) as ReturnType<typeof json> & { files: Array<{ path: string; mode: string; content: string }>; links: unknown[]; warnings: unknown[] };
    expect(doc).toMatchObject({ schemaVersion: 1, command: 'render', target: 'runit', layout: 'artix' });
    const run = doc.files.find((f) => f.path === '/etc/runit/sv/protonvpn-updater/run');
    expect(run?.mode).toBe('0755');
    const text = (await cli(['--spec', SEED_SPEC, 'render', '--target', 'runit'])).stdout;
    expect(text).toContain(`==> /etc/runit/sv/protonvpn-updater/run <==\n${run?.content}`);
    expect(doc.links).toEqual([{ path: '/etc/runit/runsvdir/default/protonvpn-updater', target: '/etc/runit/sv/protonvpn-updater', service: 'protonvpn-updater' }]);
    expect(doc.warnings.length).toBeGreaterThan(0);
    expect(r.stderr).toContain('warning:'); // messages stay on stderr
  });

  test('--json with --out is a usage error', async () => {
    const r = await cli(['--spec', SEED_SPEC, 'render', '--target', 'systemd', '--json', '--out', temp('out')]);
    expect(r.code).toBe(2);
  });

  test('a failed run prints an error document (and the message on stderr)', async () => {
    const r = await cli(['--spec', '/nonexistent/pvpn-gen.yaml', 'render', '--target', 'systemd', '--json']);
    expect(r.code).toBe(1);
    expect(json(r.stdout)).toEqual({ schemaVersion: 1, command: 'render', error: { message: expect.stringContaining('no such file'), exitCode: 1 }, problems: [] });
    expect(r.stderr).toContain('no such file');
  });
});

describe('diff --json', () => {
  test('changes with their unified diff, conflicts, actions; exit 1 when something would change', async () => {
    const root = temp('root');
    // a file pvpn-gen did not write, where the timer goes: a conflict
    mkdirSync(join(root, 'etc/systemd/system'), { recursive: true });
    writeFileSync(join(root, 'etc/systemd/system/protonvpn-updater.timer'), '[Timer]\n');
    const r = await cli(['--spec', SEED_SPEC, 'diff', '--target', 'systemd', '--root', root, '--json'], { env: { FORCE_COLOR: '1' } });
    expect(r.code).toBe(1);
    const doc = json(r.stdout) as ReturnType<typeof json> & { changes: Array<Record<string, unknown>>; conflicts: unknown[]; actions: { after: Array<Record<string, unknown>> } };
    expect(doc).toMatchObject({ schemaVersion: 1, command: 'diff', target: 'systemd', layout: null, root, changed: true });
    expect(doc.summary).toMatchObject({ conflict: 1 });
    const service = doc.changes.find((c) => c.path === '/etc/systemd/system/protonvpn-updater.service');
    expect(service).toMatchObject({ kind: 'create', service: 'protonvpn-updater', modeBefore: null, modeAfter: '0644' });
    expect(service?.diff).toMatch(/^diff --pvpn-gen a\/etc\/systemd\/system\/protonvpn-updater.service[\s\S]*\n\+\[Unit\]\n/);
    expect(doc.conflicts).toEqual([{ path: '/etc/systemd/system/protonvpn-updater.timer', reason: 'foreign', detail: expect.any(String) }]);
    expect(doc.actions.after.length).toBeGreaterThan(0);
    expect(doc.actions.after[0]).toMatchObject({ kind: expect.any(String), description: expect.any(String) });
    expect(r.stdout).not.toContain('\x1b['); // no colour, whatever the environment asks
  });

  test('nothing to change: changed false, exit 0', async () => {
    const spec = join(temp('same'), 'pvpn-gen.yaml');
    writeFileSync(spec, 'version: 1\nservices:\n  job:\n    command: [/bin/true]\n    interval: 1h\n');
    const root = temp('root');
    expect((await cli(['--spec', spec, 'install', '--target', 'systemd', '--root', root, '--yes'])).code).toBe(0);
    const r = await cli(['--spec', spec, 'diff', '--target', 'systemd', '--root', root, '--json']);
    expect(r.code).toBe(0);
    expect(json(r.stdout)).toMatchObject({ changed: false, changes: [], conflicts: [] });
  });
});

test('detect --json: what was found and why', async () => {
  const r = await cli(['detect', '--root', temp('detect'), '--json']);
  expect(r.code).toBe(1);
  expect(json(r.stdout)).toMatchObject({ schemaVersion: 1, command: 'detect', found: false, target: null, layout: null, reasons: expect.any(Array) });
  const runit = temp('detect-runit');
  mkdirSync(join(runit, 'etc/runit/runsvdir/default'), { recursive: true });
  mkdirSync(join(runit, 'etc/runit/sv'), { recursive: true });
  const found = await cli(['detect', '--root', runit, '--json']);
  expect(json(found.stdout)).toMatchObject({ found: true, target: 'runit', layout: 'artix' });
});

test('status --json of nothing installed: an error document, exit 1', async () => {
  const r = await cli(['status', '--json', '--project', 'pvpn-gen-test-not-installed']);
  expect(r.code).toBe(1);
  expect(json(r.stdout)).toMatchObject({ schemaVersion: 1, command: 'status', error: { message: 'project "pvpn-gen-test-not-installed" is not installed here', exitCode: 1 } });
});

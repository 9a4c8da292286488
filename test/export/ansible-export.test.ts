/**
 * `pvpn-gen export ansible`: the whole export of a fixture byte for byte against test/export/golden/ (UPDATE_GOLDEN=1
 * rewrites it: review the git diff), a second export into the same directory changes nothing, a re-export of a
 * smaller spec leaves nothing stale, and the data the role reads says what install would do (the manifest, the
 * commands and their order). ansible-playbook --syntax-check and ansible-lint: ansible-lint.test.ts (integration).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fse from 'fs-extra';
import { afterAll, describe, expect, test } from 'vitest';
import { ansibleExport, roleName } from '../../src/export/ansible/role.js';
import { orderedSteps } from '../../src/export/ansible/steps.js';
import type { TreeData } from '../../src/export/ansible/tree.js';
import { compileSpec } from '../../src/model/compile.js';
import { serialiseManifest } from '../../src/plan/manifest.js';
import { ALL_TARGETS } from '../../src/targets/index.js';
import { cli } from '../support/cli.js';
import { FIXTURES, REPO } from '../support/paths.js';
import { snapshotTree } from '../support/tree.js';

const GOLDEN = `${REPO}/test/export/golden/daemon-example`;
const SPEC = 'fixtures/daemon-example.yaml';
const work = mkdtempSync(join(tmpdir(), 'pvpn-gen-export-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const exportTo = (out: string, spec = SPEC) => cli(['export', 'ansible', '--out', out, '--spec', spec], { cwd: REPO });
/** the tree without the export's own record of what it wrote */
const snapshot = (dir: string) => Object.fromEntries(Object.entries(snapshotTree(dir)).filter(([path]) => path !== '/.pvpn-gen-export.json'));

describe('the export of fixtures/daemon-example.yaml', () => {
  const out = join(work, 'daemon');

  test('is the golden tree, file for file, with modes', async () => {
    const run = await exportTo(out);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe(`wrote 45 files under ${out}: site.yml, check-drift, role pvpn_gen_default for systemd, dinit, openrc, runit-artix, runit-void, runit-debian, s6\n`);
    // runit's approximations, once per warning with the trees it is about
    expect(run.stderr).toMatch(/^fixtures\/daemon-example\.yaml:\d+:\d+: warning: \/services\/status-api\/dynamicUser: .* \(runit-artix, runit-void, runit-debian\)$/m);
    if (process.env.UPDATE_GOLDEN) {
      fse.removeSync(GOLDEN);
      fse.copySync(out, GOLDEN, { filter: (src) => !src.endsWith('/.pvpn-gen-export.json') });
    }
    expect(snapshot(out)).toEqual(snapshot(GOLDEN));
    expect(snapshotTree(out)['/check-drift']).toMatchObject({ mode: '0755' });
  });

  test('a second export into the same directory writes the same bytes', async () => {
    const before = snapshotTree(out);
    const run = await exportTo(out);
    expect(run.code, run.stderr).toBe(0);
    expect(snapshotTree(out)).toEqual(before);
  });

  test('a re-export of another spec leaves nothing of the first', async () => {
    const spec = join(work, 'other.yaml');
    writeFileSync(spec, 'version: 1\nproject: other\nservices:\n  tick:\n    command: [/bin/true]\n    interval: 1h\n');
    const run = await exportTo(out, spec);
    expect(run.code, run.stderr).toBe(0);
    const paths = Object.keys(snapshot(out));
    expect(paths.filter((p) => p.includes('pvpn_gen_default') || p.includes('status-api'))).toEqual([]);
    expect(paths).toContain('/roles/pvpn_gen_other/files/systemd/etc/systemd/system/tick.timer');
  });

  test('a directory that holds something else is refused', async () => {
    const busy = join(work, 'busy');
    fse.outputFileSync(join(busy, 'notes.txt'), 'mine\n');
    const run = await exportTo(busy);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('is not empty and holds no .pvpn-gen-export.json of an earlier export');
    expect(readFileSync(join(busy, 'notes.txt'), 'utf8')).toBe('mine\n');
  });

  test.each([
    [['export', 'yaml', '--out', 'x'], 'export writes ansible'],
    [['export', 'ansible'], '--out'],
  ])('usage errors: %j', async (argv, message) => {
    const run = await cli(argv, { cwd: REPO });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
  });
});

describe('the data the role reads', () => {
  const text = readFileSync(`${FIXTURES}/multi-service.yaml`, 'utf8');
  const exported = ansibleExport(compileSpec(text, 'multi-service.yaml'), { spec: { path: 'multi-service.yaml', sha256: '0'.repeat(64) }, tool: 'pvpn-gen test' });
  const tree = (name: string) => JSON.parse(exported.files.find((f) => f.path.endsWith(`/trees/${name}.json`))?.content ?? 'null') as TreeData;

  test('the role is named after the project, and maps PID 1 names to every target that has them', () => {
    expect(roleName('my.app-2')).toBe('pvpn_gen_my_app_2');
    const index = JSON.parse(exported.files.find((f) => f.path.endsWith('/files/pvpn-gen.json'))?.content ?? '{}');
    expect(index.serviceManagers).toEqual(Object.fromEntries(ALL_TARGETS.flatMap((t) => (t.pid1Names ?? []).map((n) => [n, t.name]))));
    expect(index.serviceManagers).toMatchObject({ systemd: 'systemd', runit: 'runit', 'runit-init': 'runit', runsvdir: 'runit' });
    expect(index.serviceManagers).toMatchObject({ openrc: 'openrc', 'openrc-init': 'openrc', dinit: 'dinit', 's6-svscan': 's6' });
    expect(index.trees).toEqual(exported.trees);
  });

  test('the manifest is the one install records, but for the accounts', () => {
    const systemd = tree('systemd');
    expect(systemd.record.entries.map((e) => e.path)).toEqual([...systemd.files.map((f) => f.path), ...systemd.links.map((l) => l.path)].sort());
    expect(systemd.record.accounts).toEqual({ users: [], groups: [] });
    expect(serialiseManifest(systemd.record)).toContain('"tool": "pvpn-gen test"');
  });

  test('systemd: a changed unit reloads, then restarts its daemon; a new service is started after the reload', () => {
    const systemd = tree('systemd');
    const describe = (ids: readonly number[]) => ids.map((id) => systemd.steps[id]?.describe);
    const reload = systemd.steps.findIndex((s) => s.describe === 'systemctl daemon-reload');
    for (const file of systemd.files.filter((f) => f.path.endsWith('.service') || f.path.endsWith('.timer'))) {
      expect(file.actions[0], file.path).toBe(reload);
    }
    for (const service of systemd.services) expect(describe(service.added)[0]).toBe('systemctl daemon-reload');
    // every list of ids is in table order: the role runs a subset in table order
    for (const ids of [...systemd.files.map((f) => f.actions), ...systemd.services.flatMap((s) => [s.added, s.stop, s.removed])]) {
      expect([...ids].sort((a, b) => a - b)).toEqual(ids);
    }
  });

  test('runit: files of a service wait for runsv, then restart it; the enable link comes after its files', () => {
    const runit = tree('runit-void');
    const run = runit.files.find((f) => f.path.endsWith('/run') && !f.path.includes('/log/')) as TreeData['files'][number];
    expect(run.actions.map((id) => runit.steps[id]?.describe)).toEqual([`wait until runsv supervises ${run.path.replace(/\/run$/, '')} (supervise/ok)`, `sv restart ${run.path.replace(/\/run$/, '')}`]);
    expect(runit.links.map((l) => l.path)).toEqual(runit.services.map((s) => `/var/service/${s.name}`));
    expect(runit.directories.indexOf('/etc/sv')).toBeLessThan(runit.directories.indexOf(`/etc/sv/${runit.services[0]?.name}`));
  });

  test('steps keep the order of every sequence, ties in order of appearance', () => {
    const step = (name: string) => ({ argv: [name], env: {}, wait: false, describe: name });
    const order = orderedSteps([[step('b'), step('c')], [step('a'), step('b')], [step('d')]]).map((s) => s.describe);
    expect(order).toEqual(['a', 'b', 'c', 'd']);
  });
});

describe('variants: each has its own trees, a host picks one (pvpn_gen_variant)', () => {
  const SPEC_TEXT = `version: 1
project: var
services:
  web:
    command: [/usr/bin/web]
  tick:
    command: [/bin/true]
    interval: 1h
variants:
  slow:
    services:
      tick: { interval: 6h }
  no-web:
    services:
      web: false
`;
  const exported = ansibleExport(compileSpec(SPEC_TEXT, 'var.yaml'), { spec: { path: 'var.yaml', sha256: '0'.repeat(64) }, tool: 'pvpn-gen test' });
  const file = (path: string) => exported.files.find((f) => f.path === `roles/pvpn_gen_var/files/${path}`)?.content;

  test('the index lists each variant with its trees; every tree of a variant is under variants/NAME/', () => {
    const index = JSON.parse(file('pvpn-gen.json') ?? '{}');
    expect(index.variants).toEqual({ slow: exported.trees, 'no-web': exported.trees });
    const tree = JSON.parse(file('variants/slow/trees/systemd.json') ?? 'null') as TreeData;
    expect(tree.source).toBe('variants/slow/systemd');
    for (const f of tree.files) expect(file(`variants/slow/systemd${f.path}`), f.path).toBeDefined();
  });

  test('a changed field reaches only that variant; a service left out has no files there', () => {
    expect(file('systemd/etc/systemd/system/tick.timer')).toContain('OnUnitActiveSec=1h');
    expect(file('variants/slow/systemd/etc/systemd/system/tick.timer')).toContain('OnUnitActiveSec=6h');
    expect(file('variants/no-web/systemd/etc/systemd/system/tick.timer')).toBe(file('systemd/etc/systemd/system/tick.timer'));
    const noWeb = JSON.parse(file('variants/no-web/trees/runit-void.json') ?? 'null') as TreeData;
    expect(noWeb.services.map((s) => s.name)).toEqual(['tick']);
    expect(exported.files.filter((f) => f.path.includes('/variants/no-web/') && /\bweb\b/.test(f.path.replace('no-web', '')))).toEqual([]);
  });

  test('render --variant gives the same bytes as the export holds; an unknown variant names the ones there are', async () => {
    const spec = join(work, 'var.yaml');
    writeFileSync(spec, SPEC_TEXT);
    const out = join(work, 'var-render');
    const run = await cli(['render', '--target', 'systemd', '--variant', 'slow', '--spec', spec, '--out', out], { cwd: REPO });
    expect(run.code, run.stderr).toBe(0);
    expect(readFileSync(join(out, 'etc/systemd/system/tick.timer'), 'utf8')).toContain('OnUnitActiveSec=6h');
    const bad = await cli(['render', '--target', 'systemd', '--variant', 'fast', '--spec', spec, '--out', join(work, 'x')], { cwd: REPO });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(`--variant fast: ${spec} has the variants slow, no-web`);
    const exp = await cli(['export', 'ansible', '--variant', 'slow', '--spec', spec, '--out', join(work, 'y')], { cwd: REPO });
    expect(exp.code).toBe(2);
    expect(exp.stderr).toContain('leave out --variant');
  });
});

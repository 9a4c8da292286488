/**
 * The exported playbook and role as Ansible reads them (Debian's ansible-core 2.14 and ansible-lint 6.13):
 * `ansible-playbook --syntax-check` and `ansible-lint --profile production` pass with nothing to ignore, for the
 * golden export (test/export/golden/, kept equal to a real export by ansible-export.test.ts) and for an export of
 * a spec with several services and a periodic job. The role's filter (filter_plugins/pvpn_gen.py) run by Ansible's
 * Python fills in removal commands exactly as the target gives them (the cases of ansible-retire.test.ts).
 * No hosts: test/fleet/export-ansible.test.ts deploys.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { ansibleLint, requireAnsible } from '../harness/fleet.js';
import { cli } from '../support/cli.js';
import { REPO } from '../support/paths.js';
import { spawnCapture } from '../support/spawn.js';
import { removalCases } from './removal-cases.js';

const work = mkdtempSync(join(tmpdir(), 'pvpn-gen-export-lint-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function exported(name: string, spec: string): Promise<string> {
  const out = join(work, name);
  const run = await cli(['export', 'ansible', '--out', out, '--spec', spec], { cwd: REPO });
  expect(run.code, run.stderr).toBe(0);
  return out;
}

describe.each([
  ['the golden export', async () => `${REPO}/test/export/golden/daemon-example`],
  ['multi-service', () => exported('multi', `${REPO}/fixtures/multi-service.yaml`)],
])('%s', (_name, dir) => {
  test('ansible-playbook --syntax-check', async () => {
    requireAnsible();
    const out = await dir();
    const home = join(work, 'home');
    const inventory = join(work, 'inventory.yml');
    writeFileSync(inventory, 'all:\n  hosts:\n    h1:\n      ansible_connection: local\n');
    const run = await spawnCapture('ansible-playbook', ['-i', inventory, '--syntax-check', join(out, 'site.yml')], {
      timeoutMs: 120_000,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, ANSIBLE_HOME: join(home, '.ansible'), ANSIBLE_LOCAL_TEMP: join(home, 'tmp'), PYTHONDONTWRITEBYTECODE: '1' },
    });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain(`playbook: ${join(out, 'site.yml')}`);
  }, 150_000);

  test('ansible-lint --profile production', async () => {
    const out = await dir();
    // the playbook and the role, named: a directory alone would be taken for a role named after it
    const roles = readdirSync(join(out, 'roles')).map((role) => join(out, 'roles', role));
    const run = await ansibleLint(['--profile', 'production', '--project-dir', out, join(out, 'site.yml'), ...roles]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stderr).toMatch(/Passed with production profile: 0 failure\(s\), 0 warning\(s\) on [1-9]\d* files/);
  }, 150_000);
});

test("the role's filter fills in the removal commands as the target gives them, for every tree and handle", async () => {
  requireAnsible();
  const out = await exported('filter', `${REPO}/fixtures/multi-service.yaml`);
  const plugin = join(out, 'roles', readdirSync(join(out, 'roles'))[0] as string, 'filter_plugins/pvpn_gen.py');
  const cases = removalCases().map((c) => ({ recipes: c.tree.retire, handle: c.handle, expected: c.expected }));
  const program = [
    'import importlib.util, json, sys',
    'spec = importlib.util.spec_from_file_location("pvpn_gen", sys.argv[1]); m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)',
    'f = m.FilterModule().filters()["pvpn_gen_removal"]',
    'print(json.dumps([{p: f([c["handle"]], c["recipes"], p) for p in ("stop", "removed", "leftovers")} for c in json.load(sys.stdin)]))',
  ].join('\n');
  // Debian's python3, which has Ansible (a pyenv python first in PATH has not)
  const run = await spawnCapture('/usr/bin/python3', ['-c', program, plugin], { input: JSON.stringify(cases), timeoutMs: 60_000, env: { PYTHONDONTWRITEBYTECODE: '1' } });
  expect(run.code, run.stderr).toBe(0);
  expect(JSON.parse(run.stdout)).toEqual(cases.map((c) => c.expected));
}, 150_000);

/**
 * install -> diff exits 0; install twice -> the second changes nothing; install -> uninstall -> the root is
 * byte-for-byte what it was (paths, types, modes, contents, link targets), around files pvpn-gen does not own.
 * For systemd the enable links are exactly the ones `systemctl --root=DIR enable` makes.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { cli } from '../support/cli.js';
import { SEED_SPEC } from '../support/paths.js';
import { specText, tempRoot, writeSpec } from '../support/specs.js';
import { requireTool } from '../support/tools.js';
import { snapshotTree } from '../support/tree.js';

const VARIANTS = [
  ['systemd', ['--target', 'systemd']],
  ['runit artix', ['--target', 'runit', '--layout', 'artix']],
  ['runit void', ['--target', 'runit', '--layout', 'void']],
  ['runit debian', ['--target', 'runit', '--layout', 'debian']],
  ['dinit', ['--target', 'dinit']],
] as const;

/** A root that already holds things pvpn-gen must leave alone. */
function populatedRoot(): string {
  const root = tempRoot();
  mkdirSync(`${root}/etc/systemd/system/multi-user.target.wants`, { recursive: true });
  writeFileSync(`${root}/etc/systemd/system/admin.service`, '[Service]\nExecStart=/bin/true\n');
  symlinkSync('/etc/systemd/system/admin.service', `${root}/etc/systemd/system/multi-user.target.wants/admin.service`);
  mkdirSync(`${root}/etc/sv/other/log`, { recursive: true });
  writeFileSync(`${root}/etc/sv/other/run`, '#!/bin/sh\nexec other\n', { mode: 0o755 });
  mkdirSync(`${root}/var/lib/something`, { recursive: true });
  writeFileSync(`${root}/etc/hostname`, 'box\n');
  chmodSync(`${root}/etc/hostname`, 0o600);
  return root;
}

const run = (args: string[]) => cli(['--spec', SEED_SPEC, ...args]);

describe.each(VARIANTS)('%s', (_name, target) => {
  test('install -> diff 0 -> install again changes nothing -> uninstall restores the root exactly', async () => {
    const root = populatedRoot();
    const before = snapshotTree(root);

    const installed = await run(['install', ...target, '--root', root, '--yes']);
    expect(installed.stderr).not.toContain('error');
    expect(installed.code).toBe(0);
    expect(installed.stdout).toMatch(/done: install of project default: \d+ created, 0 updated, 0 removed/);
    const afterInstall = snapshotTree(root);

    const diff = await run(['diff', ...target, '--root', root]);
    expect(diff.code).toBe(0);
    expect(diff.stdout).toMatch(/0 to create, 0 to update, 0 to remove, \d+ unchanged/);

    const again = await run(['install', ...target, '--root', root, '--yes']);
    expect(again.code).toBe(0);
    expect(again.stdout).toBe('up to date: nothing to install\n');
    expect(snapshotTree(root)).toEqual(afterInstall);

    const removed = await cli(['uninstall', '--root', root, '--yes']);
    expect(removed.code).toBe(0);
    expect(snapshotTree(root)).toEqual(before);
  });
});

describe('upgrades and ownership', () => {
  const v1 = specText([{ name: 'alpha' }, { name: 'beta' }, { name: 'gamma' }]);
  const v2 = specText([{ name: 'alpha', command: '/usr/bin/false' }, { name: 'beta' }, { name: 'delta' }]);
  const args = (spec: string, root: string, verb = 'install') => ['--spec', spec, verb, '--target', 'runit', '--layout', 'void', '--root', root, '--yes'];

  test('an upgrade updates, adds and removes exactly what changed, and converges', async () => {
    const root = tempRoot();
    expect((await cli(args(writeSpec(v1), root))).code).toBe(0);
    const spec2 = writeSpec(v2);
    const upgrade = await cli(args(spec2, root));
    expect(upgrade.code).toBe(0);
    expect(upgrade.stdout).toContain('done: install of project default: 3 created, 1 updated, 3 removed');
    expect(readdirSync(`${root}/etc/sv`).sort()).toEqual(['alpha', 'beta', 'delta']);
    expect(readdirSync(`${root}/var/service`).sort()).toEqual(['alpha', 'beta', 'delta']);
    expect(readFileSync(`${root}/etc/sv/alpha/run`, 'utf8')).toContain("run_waiting '/usr/bin/false'");
    expect((await cli(['--spec', spec2, 'diff', '--target', 'runit', '--layout', 'void', '--root', root])).code).toBe(0);
  });

  test('--service installs one service and leaves the others recorded as they are', async () => {
    const root = tempRoot();
    const spec = writeSpec(v1);
    expect((await cli([...args(spec, root), '--service', 'beta'])).code).toBe(0);
    expect(readdirSync(`${root}/etc/sv`)).toEqual(['beta']);
    expect((await cli(args(spec, root))).code).toBe(0);
    expect(readdirSync(`${root}/etc/sv`).sort()).toEqual(['alpha', 'beta', 'gamma']);
    expect((await cli(['uninstall', 'gamma', '--root', root, '--yes'])).code).toBe(0);
    expect(readdirSync(`${root}/etc/sv`).sort()).toEqual(['alpha', 'beta']);
  });

  test('uninstall refuses a file an admin changed, unless --force', async () => {
    const root = tempRoot();
    expect((await cli(args(writeSpec(v1), root))).code).toBe(0);
    writeFileSync(`${root}/etc/sv/alpha/run`, '#!/bin/sh\n# tuned by hand\n', { mode: 0o755 });
    const before = snapshotTree(root);
    const refused = await cli(['uninstall', '--root', root, '--yes']);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain('/etc/sv/alpha/run: changed since pvpn-gen wrote it, so it is not removed; --force removes it');
    expect(refused.stderr).toContain('1 conflict (listed above); nothing was written. Use --force');
    expect(snapshotTree(root)).toEqual(before);
    const forced = await cli(['uninstall', '--root', root, '--yes', '--force']);
    expect(forced.code).toBe(0);
    // the admin's version is kept as a backup, the rest is gone
    expect(readdirSync(`${root}/etc/sv/alpha`, { withFileTypes: true }).map((e) => e.name)).toEqual(['.run.pvpn-gen-backup']);
  });

  test('--force takes over a foreign file, keeps it as a backup, and uninstall puts it back', async () => {
    const root = tempRoot();
    mkdirSync(`${root}/etc/sv/alpha`, { recursive: true });
    writeFileSync(`${root}/etc/sv/alpha/run`, '#!/bin/sh\nexec my-own-alpha\n', { mode: 0o750 });
    const before = snapshotTree(root);
    const spec = writeSpec(v1);
    const refused = await cli(args(spec, root));
    expect(refused.code).toBe(1);
    expect(snapshotTree(root)).toEqual(before);
    const forced = await cli([...args(spec, root), '--force']);
    expect(forced.code).toBe(0);
    expect(readFileSync(`${root}/etc/sv/alpha/.run.pvpn-gen-backup`, 'utf8')).toBe('#!/bin/sh\nexec my-own-alpha\n');
    expect((await cli(['uninstall', '--root', root, '--yes'])).code).toBe(0);
    expect(snapshotTree(root)).toEqual(before);
  });

  test('two projects live side by side; a path owned by one is a conflict for the other', async () => {
    const root = tempRoot();
    expect((await cli(args(writeSpec(specText([{ name: 'alpha' }], 'project: one')), root))).code).toBe(0);
    expect((await cli(args(writeSpec(specText([{ name: 'beta' }], 'project: two')), root))).code).toBe(0);
    const clash = await cli(args(writeSpec(specText([{ name: 'alpha' }], 'project: two')), root));
    expect(clash.code).toBe(1);
    expect(clash.stdout).toContain('installed by pvpn-gen project "one"; uninstall it there first');
    expect((await cli(['uninstall', '--root', root, '--yes'])).stderr).toContain('several projects are installed (one, two); choose one with --project NAME');
    expect((await cli(['uninstall', '--project', 'one', '--root', root, '--yes'])).code).toBe(0);
    expect((await cli(['uninstall', '--project', 'two', '--root', root, '--yes'])).code).toBe(0);
    expect(readdirSync(root)).toEqual([]);
  });
});

test('systemd enable links are the ones `systemctl --root enable` makes', async () => {
  const systemctl = requireTool('systemctl');
  const ours = tempRoot();
  expect((await run(['install', '--target', 'systemd', '--root', ours, '--yes'])).code).toBe(0);
  // the same unit files, enabled by systemctl itself in a second root
  const theirs = tempRoot();
  mkdirSync(`${theirs}/etc/systemd/system`, { recursive: true });
  for (const unit of readdirSync(`${ours}/etc/systemd/system`)) {
    if (unit.endsWith('.service') || unit.endsWith('.timer')) cpSync(`${ours}/etc/systemd/system/${unit}`, `${theirs}/etc/systemd/system/${unit}`);
  }
  const enable = spawnSync(systemctl, ['--root', theirs, 'enable', 'protonvpn-updater.timer'], { encoding: 'utf8' });
  expect(enable.status, enable.stderr).toBe(0);
  const links = (root: string) =>
    Object.fromEntries(Object.entries(snapshotTree(`${root}/etc/systemd/system`)).filter(([, e]) => e.type === 'symlink'));
  expect(links(ours)).toEqual(links(theirs));
  rmSync(theirs, { recursive: true, force: true });
});

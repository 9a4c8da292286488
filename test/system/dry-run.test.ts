/**
 * --dry-run runs install's and uninstall's own code on the dry-run System (src/system/dry-run.ts): nothing on disk
 * changes, and the steps it lists are the ones the real run then takes (its renames end at exactly the files the
 * real install leaves, its removals at exactly the files uninstall removes).
 */
import { describe, expect, test } from 'vitest';
import { cli } from '../support/cli.js';
import { specText, tempRoot, writeSpec } from '../support/specs.js';
import { snapshotTree } from '../support/tree.js';

const spec = writeSpec(specText([{ name: 'job' }, { name: 'other', extra: 'workingDirectory: /var/lib/other' }]));
const install = (root: string, ...extra: string[]) => cli(['--spec', spec, 'install', '--root', root, '--target', 'runit', '--layout', 'void', '--yes', ...extra]);

/** the last path of each listed step of a kind: `rename A -> B` gives B, `remove A` gives A */
const steps = (stdout: string, kind: 'rename' | 'remove' | 'link') =>
  stdout
    .split('\n')
    .filter((l) => l.startsWith(`  ${kind} `))
    .map((l) => l.slice(kind.length + 3).split(' -> ').at(kind === 'rename' ? -1 : 0) as string);

describe('--dry-run', () => {
  test('install: nothing is written, and its renames are exactly the files a real install leaves', async () => {
    const root = tempRoot();
    const dry = await install(root, '--dry-run');
    expect(dry.code, dry.stderr).toBe(0);
    expect(snapshotTree(root)).toEqual({});
    expect(dry.stdout).toMatch(/dry run: these steps would run \(nothing was written, nothing was started\):/);
    const renamed = steps(dry.stdout, 'rename').filter((p) => !p.endsWith('/journal.json'));
    expect((await install(root)).code).toBe(0);
    // the lock file is the one thing a dry run does not make: it takes no lock
    const installed = Object.entries(snapshotTree(root)).filter(([p, e]) => e.type !== 'dir' && !p.endsWith('/pvpn-gen/lock')).map(([p]) => root + p);
    expect([...renamed].sort()).toEqual(installed.sort());
  });

  test('uninstall: nothing is removed, and its removals are exactly what a real uninstall takes away', async () => {
    const root = tempRoot();
    expect((await install(root)).code).toBe(0);
    const before = snapshotTree(root);
    const dry = await cli(['uninstall', '--root', root, '--yes', '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(snapshotTree(root)).toEqual(before);
    const removed = new Set([...steps(dry.stdout, 'remove'), ...dry.stdout.split('\n').filter((l) => l.startsWith('  rmdir ')).map((l) => l.slice(8))]);
    expect((await cli(['uninstall', '--root', root, '--yes'])).code).toBe(0);
    const gone = Object.keys(before).map((p) => root + p);
    for (const path of gone) expect(removed, path).toContain(path);
  });
});

/**
 * Failures in the middle and bad input: a full disk (a small tmpfs) or a read-only directory (a read-only bind
 * mount) while writing gives one clean error and leaves the root exactly as it was; so do an invalid spec, an
 * unknown service, a root that is a file, a symlink pointing elsewhere at a target path, and a foreign file.
 * Two installs started at once: one waits (or, with --lock-wait 0, refuses with a clear message) and the result
 * equals one install.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, test } from 'vitest';
import { binAsync, binSync } from '../support/bin.js';
import { cli } from '../support/cli.js';
import { specText, tempRoot, writeSpec } from '../support/specs.js';
import { requireRoot } from '../support/tools.js';
import { snapshotTree } from '../support/tree.js';

const mounts: string[] = [];
afterEach(() => {
  for (const mount of mounts.splice(0).reverse()) execFileSync('umount', ['-l', mount]);
});

const v1 = specText([{ name: 'alpha' }, { name: 'beta' }]);
/** bigger: many services with long descriptions, so that its files cannot fit where v1's just did */
const big = specText(
  Array.from({ length: 40 }, (_, i) => ({ name: `svc${i}`, extra: `description: ${'padding '.repeat(20).trim()}` })),
);
const install = (spec: string, root: string, extra: string[] = []) =>
  cli(['--spec', spec, 'install', '--target', 'runit', '--layout', 'void', '--root', root, '--yes', ...extra]);

describe('failures while writing leave the root as it was', () => {
  test('ENOSPC: a full disk during an upgrade', async () => {
    requireRoot('mounts a small tmpfs');
    const root = tempRoot();
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=400k,mode=0755', 'pvpn-enospc', root]);
    mounts.push(root);
    expect((await install(writeSpec(v1), root)).code).toBe(0);
    const before = snapshotTree(root);
    const result = await install(writeSpec(big), root);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/pvpn-gen: could not write \/.*: no space left on the device; nothing was changed\n/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(snapshotTree(root)).toEqual(before);
  });

  test('ENOSPC on a first install: not even the state directory is left', async () => {
    requireRoot('mounts a small tmpfs');
    const root = tempRoot();
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=100k,mode=0755', 'pvpn-enospc', root]);
    mounts.push(root);
    const result = await install(writeSpec(big), root);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('no space left on the device; nothing was changed');
    expect(snapshotTree(root)).toEqual({});
  });

  test('EROFS: a read-only service directory in the middle of an upgrade', async () => {
    requireRoot('makes a read-only bind mount');
    const root = tempRoot();
    expect((await install(writeSpec(v1), root)).code).toBe(0);
    const readOnly = `${root}/etc/sv/beta`;
    execFileSync('mount', ['--bind', readOnly, readOnly]);
    mounts.push(readOnly);
    execFileSync('mount', ['-o', 'remount,bind,ro', readOnly]);
    const before = snapshotTree(root);
    const result = await install(writeSpec(specText([{ name: 'alpha', command: '/usr/bin/false' }, { name: 'beta', command: '/usr/bin/false' }])), root);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/could not write \/.*\/etc\/sv\/beta\/run: .*read-only file system.*; nothing was changed/i);
    expect(snapshotTree(root)).toEqual(before);
  });
});

describe('bad input writes nothing', () => {
  type Result = { code: number; stderr: string; stdout: string };
  /** [what, what stands in the root before, the run, the message] */
  const cases: ReadonlyArray<readonly [string, (root: string) => void, (root: string) => Promise<Result>, RegExp]> = [
    ['an invalid spec', () => {}, (root) => install(writeSpec('version: 1\nservices:\n  a:\n    comand: [/bin/true]\n'), root), /did you mean "command"/],
    ['an unknown service name', () => {}, (root) => install(writeSpec(v1), root, ['--service', 'gamma']), /no service "gamma" in the spec; it has: alpha, beta/],
    ['a root that is a file', (root) => writeFileSync(`${root}/file`, 'x'), (root) => install(writeSpec(v1), `${root}/file`), /--root .*\/file: not a directory/],
    [
      'a target path that is a symlink pointing elsewhere',
      (root) => {
        mkdirSync(`${root}/etc/sv/alpha`, { recursive: true });
        symlinkSync('/etc/passwd', `${root}/etc/sv/alpha/run`);
      },
      (root) => install(writeSpec(v1), root),
      /1 conflict \(listed above\); nothing was written/,
    ],
    [
      'a foreign file at a target path',
      (root) => {
        mkdirSync(`${root}/var/service`, { recursive: true });
        writeFileSync(`${root}/var/service/beta`, 'not a link\n');
      },
      (root) => install(writeSpec(v1), root),
      /1 conflict \(listed above\); nothing was written/,
    ],
  ];
  test.each(cases)('%s', async (_what, setup, act, message) => {
    const root = tempRoot();
    setup(root);
    const before = snapshotTree(root);
    const result = await act(root);
    expect(result.code).toBe(1);
    expect(result.stderr + result.stdout).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(snapshotTree(root)).toEqual(before);
  });
});

describe('two installs at once', () => {
  const many = specText(Array.from({ length: 150 }, (_, i) => ({ name: `job${i}` })));

  test('the second waits for the first and then finds everything up to date', async () => {
    const spec = writeSpec(many);
    const root = tempRoot();
    const args = ['--spec', spec, 'install', '--target', 'systemd', '--root', root, '--yes'];
    const [a, b] = await Promise.all([binAsync(args), binAsync(args)]);
    expect([a.code, b.code]).toEqual([0, 0]);
    const outputs = [a.stdout, b.stdout].sort();
    expect(outputs.filter((o) => /done: install of project default: \d+ created/.test(o))).toHaveLength(1);
    expect(outputs.filter((o) => o === 'up to date: nothing to install\n')).toHaveLength(1);
    const single = tempRoot();
    expect(binSync(['--spec', spec, 'install', '--target', 'systemd', '--root', single, '--yes']).code).toBe(0);
    const strip = (t: ReturnType<typeof snapshotTree>) => {
      delete t['/var/lib/pvpn-gen/lock'];
      return t;
    };
    expect(strip(snapshotTree(root))).toEqual(strip(snapshotTree(single)));
    rmSync(single, { recursive: true, force: true });
  }, 60_000);

  test('with --lock-wait 0 the second refuses at once, naming the holder', async () => {
    const spec = writeSpec(many);
    const root = tempRoot();
    const args = ['--spec', spec, 'install', '--target', 'systemd', '--root', root, '--yes', '--lock-wait', '0'];
    const results = await Promise.all([binAsync(args), binAsync(args)]);
    const codes = results.map((r) => r.code).sort();
    // usually one refuses; if the first finished before the second started, the second is simply up to date
    if (codes[1] === 75) {
      const refused = results.find((r) => r.code === 75);
      expect(refused?.stderr).toMatch(/another pvpn-gen run \(pid \d+\) is changing this system; wait for it to finish and run again/);
    } else {
      expect(codes).toEqual([0, 0]);
    }
    expect(binSync(['--spec', spec, 'diff', '--target', 'systemd', '--root', root]).code).toBe(0);
  }, 60_000);
});

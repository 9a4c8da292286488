/**
 * Golden diff outputs for each kind of change (create, update, mode-only, remove, conflict), and diff's exit codes:
 * 0 nothing would change, 1 something would, 2 error. UPDATE_GOLDEN=1 rewrites test/plan/golden/*.diff.
 */
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { cli } from '../support/cli.js';
import { specText, tempRoot, writeSpec } from '../support/specs.js';

const GOLDEN = join(dirname(fileURLToPath(import.meta.url)), 'golden');

function golden(name: string, actual: string): void {
  const file = join(GOLDEN, `${name}.diff`);
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(GOLDEN, { recursive: true });
    writeFileSync(file, actual);
  }
  expect(actual).toBe(readFileSync(file, 'utf8'));
}

const v1 = specText([{ name: 'alpha' }, { name: 'beta', interval: '30min' }]);
const diff = (spec: string, root: string, target = 'runit', extra: string[] = []) =>
  cli(['--spec', spec, 'diff', '--target', target, ...(target === 'runit' ? ['--layout', 'void'] : []), '--root', root, ...extra]);
const install = (spec: string, root: string) =>
  cli(['--spec', spec, 'install', '--target', 'runit', '--layout', 'void', '--root', root, '--yes']);

describe('pvpn-gen diff', () => {
  test('create: everything is new (exit 1)', async () => {
    const result = await diff(writeSpec(v1), tempRoot());
    expect(result.code).toBe(1);
    golden('create', result.stdout);
  });

  test('unchanged after install (exit 0)', async () => {
    const root = tempRoot();
    const spec = writeSpec(v1);
    expect((await install(spec, root)).code).toBe(0);
    const result = await diff(spec, root);
    expect(result.stdout).toBe('\n0 to create, 0 to update, 0 to remove, 6 unchanged\n');
    expect(result.code).toBe(0);
  });

  test('update: a changed command and interval (exit 1)', async () => {
    const root = tempRoot();
    expect((await install(writeSpec(v1), root)).code).toBe(0);
    const result = await diff(writeSpec(specText([{ name: 'alpha', command: '/usr/bin/false' }, { name: 'beta', interval: '45min' }])), root);
    expect(result.code).toBe(1);
    golden('update', result.stdout);
  });

  test('mode-only: an installed script lost its exec bit', async () => {
    const root = tempRoot();
    const spec = writeSpec(v1);
    expect((await install(spec, root)).code).toBe(0);
    chmodSync(`${root}/etc/sv/alpha/run`, 0o644);
    const result = await diff(spec, root);
    expect(result.code).toBe(1);
    golden('mode-only', result.stdout);
  });

  test('remove: a service dropped from the spec', async () => {
    const root = tempRoot();
    expect((await install(writeSpec(v1), root)).code).toBe(0);
    const result = await diff(writeSpec(specText([{ name: 'alpha' }])), root);
    expect(result.code).toBe(1);
    golden('remove', result.stdout);
  });

  test('conflict: a file pvpn-gen does not own is in the way', async () => {
    const root = tempRoot();
    mkdirSync(`${root}/etc/sv/alpha`, { recursive: true });
    writeFileSync(`${root}/etc/sv/alpha/run`, '#!/bin/sh\nexec my-own-alpha\n', { mode: 0o755 });
    const result = await diff(writeSpec(v1), root);
    expect(result.code).toBe(1);
    golden('conflict', result.stdout);
  });

  test('systemd: units, timers and enable links', async () => {
    const result = await diff(writeSpec(v1), tempRoot(), 'systemd');
    expect(result.code).toBe(1);
    golden('create-systemd', result.stdout);
  });

  test('errors exit 2, like diff(1)', async () => {
    const invalid = await diff(writeSpec('version: 1\nservices: {}\n'), tempRoot());
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toContain('nothing is defined here');
    const noRoot = await diff(writeSpec(v1), '/nonexistent/root');
    expect(noRoot.code).toBe(2);
    expect(noRoot.stderr).toContain('--root /nonexistent/root: no such directory');
    const unknown = await diff(writeSpec(v1), tempRoot(), 'runit', ['--service', 'gamma']);
    expect(unknown.code).toBe(2);
  });
});

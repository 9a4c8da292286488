/** Secrets: install refuses an environmentFile or credential that group or others can read; a missing one is a warning. */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { cli } from '../support/cli.js';
import { specText, tempRoot, writeSpec } from '../support/specs.js';
import { snapshotTree } from '../support/tree.js';

const spec = specText([{ name: 'alpha', extra: 'environmentFile: /etc/alpha/secret.env\ncredentials: { token: /etc/alpha/token }' }]);
const install = (root: string) => cli(['--spec', writeSpec(spec), 'install', '--target', 'systemd', '--root', root, '--yes']);

function secrets(root: string, envMode: number, tokenMode: number): void {
  mkdirSync(`${root}/etc/alpha`, { recursive: true });
  writeFileSync(`${root}/etc/alpha/secret.env`, 'PASSWORD=hunter2\n');
  writeFileSync(`${root}/etc/alpha/token`, 'abc\n');
  chmodSync(`${root}/etc/alpha/secret.env`, envMode);
  chmodSync(`${root}/etc/alpha/token`, tokenMode);
}

describe('secret files', () => {
  test('a world-readable environmentFile and a group-readable credential are refused, with the chmod to run', async () => {
    const root = tempRoot();
    secrets(root, 0o644, 0o640);
    const before = snapshotTree(root);
    const result = await install(root);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('/services/alpha/environmentFile: /etc/alpha/secret.env holds secrets but is readable by everyone (mode 0644); run: chmod 600 /etc/alpha/secret.env');
    expect(result.stderr).toContain('/services/alpha/credentials/token: /etc/alpha/token holds secrets but is readable by its group (mode 0640); run: chmod 600 /etc/alpha/token');
    expect(snapshotTree(root)).toEqual(before);
  });

  test('0600 secrets install without a word', async () => {
    const root = tempRoot();
    secrets(root, 0o600, 0o600);
    const result = await install(root);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
  });

  test('a secret that does not exist yet is a warning, and the install goes on', async () => {
    const result = await install(tempRoot());
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('warning: /services/alpha/environmentFile: /etc/alpha/secret.env does not exist yet; the service cannot start until it does');
  });
});

// issue 12: packaged environment files (/etc/default/NAME) are 0644; diff called them installable, install refused
describe('packaged environment files (environmentFiles)', () => {
  const packaged = specText([{ name: 'beta', extra: 'environmentFiles: [/etc/default/beta]' }]);
  const run = (verb: 'install' | 'diff', root: string) =>
    cli(['--spec', writeSpec(packaged), verb, '--target', 'systemd', '--root', root, ...(verb === 'install' ? ['--yes'] : [])]);
  const withFile = (mode: number) => {
    const root = tempRoot();
    mkdirSync(`${root}/etc/default`, { recursive: true });
    writeFileSync(`${root}/etc/default/beta`, 'OPTS=-v\n');
    chmodSync(`${root}/etc/default/beta`, mode);
    return root;
  };

  test('0644 diffs and installs without a word', async () => {
    const root = withFile(0o644);
    const diff = await run('diff', root);
    expect(diff.stderr).toBe('');
    expect(diff.code).toBe(1);
    const result = await run('install', root);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  test('one others can write is refused by diff and install alike, with the chmod to run', async () => {
    const root = withFile(0o666);
    const message = '/services/beta/environmentFiles/0: /etc/default/beta is read as root but everyone can write it (mode 0666); run: chmod go-w /etc/default/beta';
    const diff = await run('diff', root);
    expect(diff.code).toBe(2);
    expect(diff.stderr).toContain(message);
    const result = await run('install', root);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(message);
  });
});

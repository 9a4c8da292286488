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

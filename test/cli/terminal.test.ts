/**
 * Colour only on a terminal: isTerminal answers from fstat where it can (so that output to a pipe, a file or
 * /dev/null never loads node:tty), and asks isatty for a character device that may be one.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { isTerminal } from '../../src/cli/io.js';
import { BIN, SEED_SPEC } from '../support/paths.js';

test('a regular file, /dev/null and a closed descriptor are not terminals', () => {
  for (const path of [join(mkdtempSync(join(tmpdir(), 'pvpn-tty-')), 'out'), '/dev/null']) {
    const fd = openSync(path, 'w');
    try {
      expect(isTerminal(fd), path).toBe(false);
    } finally {
      closeSync(fd);
    }
  }
  expect(isTerminal(987)).toBe(false);
});

test('diff is coloured on a pseudo-terminal (script(1)) and plain into a pipe', () => {
  const root = mkdtempSync(join(tmpdir(), 'pvpn-tty-root-'));
  const args = [BIN, '--spec', SEED_SPEC, 'diff', '--root', root, '--target', 'systemd'];
  const env = { ...process.env, NO_COLOR: undefined, TERM: 'xterm', CI: undefined };
  const piped = spawnSync(process.execPath, args, { encoding: 'utf8', env });
  expect(piped.status).toBe(1);
  expect(piped.stdout).toContain('+[Unit]');
  expect(piped.stdout).not.toContain('\x1b[');
  const command = [process.execPath, ...args].map((a) => `'${a}'`).join(' ');
  const onTerminal = spawnSync('script', ['-qec', command, '/dev/null'], { encoding: 'utf8', env });
  expect(onTerminal.stdout).toContain('\x1b[');
});

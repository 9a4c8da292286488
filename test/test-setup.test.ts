/**
 * The first step of `npm test` (scripts/test-setup.mjs) installs what test/support/tools.json lists and this machine
 * lacks, and nothing else: run with a fake apt-get first in PATH that records its calls, with every tool present,
 * with one tool taken out of PATH, without apt-get, and as a user other than root.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { REPO } from './support/paths.js';
import TOOLS from './support/tools.json' with { type: 'json' };
import { requireRoot, requireTool, toolPackage } from './support/tools.js';

const SETUP = 'scripts/test-setup.mjs';
const TAKEN_OUT = 'snooze';

let dir: string;
let aptDir: string; // holds the fake apt-get
let toolsDir: string; // every command of tools.json but TAKEN_OUT, linked to the real one
let aptLog: string;
let copy: string; // the script, beside a copy of the list as in the repository, where the user nobody can read both

function setup(path: string, options: { asNobody?: boolean } = {}) {
  const script = options.asNobody ? copy : join(REPO, SETUP);
  const argv = options.asNobody
    ? [requireTool('setpriv'), ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, script]] as const
    : [process.execPath, [script]] as const;
  const result = spawnSync(argv[0], argv[1], { encoding: 'utf8', env: { ...process.env, PATH: path, APT_LOG: aptLog, FAKE_INSTALL: toolsDir } });
  const calls = existsSync(aptLog) ? readFileSync(aptLog, 'utf8').trim().split('\n') : [];
  rmSync(aptLog, { force: true });
  rmSync(join(toolsDir, TAKEN_OUT), { force: true });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr, calls };
}

beforeAll(() => {
  requireRoot('the install path runs as root, and the non-root case switches to nobody with setpriv');
  dir = mkdtempSync(join(tmpdir(), 'pvpn-test-setup-'));
  chmodSync(dir, 0o755);
  aptLog = join(dir, 'apt-calls');
  aptDir = join(dir, 'apt');
  mkdirSync(aptDir);
  // records each call; `install PKG...` "installs" a package whose command has its name by linking the real one
  writeFileSync(
    join(aptDir, 'apt-get'),
    '#!/bin/sh\nprintf "%s\\n" "$*" >> "$APT_LOG"\ncase " $* " in *" install "*) for p; do [ -x "/usr/bin/$p" ] && /bin/ln -sf "/usr/bin/$p" "$FAKE_INSTALL/$p"; done ;; esac\nexit 0\n',
    { mode: 0o755 },
  );
  copy = join(dir, 'copy', SETUP);
  cpSync(join(REPO, SETUP), copy);
  cpSync(join(REPO, 'test/support/tools.json'), join(dir, 'copy/test/support/tools.json'));
  toolsDir = join(dir, 'tools');
  mkdirSync(toolsDir);
  for (const name of TOOLS.flatMap((tool) => tool.provides)) {
    if (!name.startsWith('/') && name !== TAKEN_OUT) symlinkSync(requireTool(name), join(toolsDir, name));
  }
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('npm test setup', () => {
  test('with every tool present it installs nothing and says nothing', () => {
    const run = setup(`${aptDir}:${process.env.PATH ?? ''}`);
    expect(run).toEqual({ code: 0, stdout: '', stderr: '', calls: [] });
  });

  test(`with ${TAKEN_OUT} missing it asks apt-get for exactly that package, then goes on`, () => {
    const run = setup(`${aptDir}:${toolsDir}`);
    expect(run.calls).toEqual([
      '-o DPkg::Lock::Timeout=600 -qq update',
      `-o DPkg::Lock::Timeout=600 -qq install -y --no-install-recommends ${toolPackage(TAKEN_OUT).package}`,
    ]);
    expect(run.stdout).toBe(`npm test: installing what the tests need (test/support/tools.json): ${toolPackage(TAKEN_OUT).package}\n`);
    expect(run.code).toBe(0);
  });

  test('without apt-get it stops with one message: the missing package, for what, and why', () => {
    const run = setup(toolsDir);
    expect(run.code).toBe(1);
    expect(run.calls).toEqual([]);
    const { package: pkg, why } = toolPackage(TAKEN_OUT);
    expect(run.stderr).toMatch(/^npm test: the tests need programs this machine lacks, and it has no apt-get to install them/);
    expect(run.stderr).toContain(`\n  ${pkg} (for ${TAKEN_OUT}): ${why}\n`);
    expect(run.stderr.match(/npm test:/g)).toHaveLength(1);
  });

  test('not root, it installs nothing and says: run as root, or install these packages', () => {
    const run = setup(`${aptDir}:${toolsDir}`, { asNobody: true });
    expect(run.code).toBe(1);
    expect(run.calls).toEqual([]);
    expect(run.stderr).toContain(`Run the tests as root (sudo npm test), which installs them, or install them first: sudo apt-get install ${toolPackage(TAKEN_OUT).package}\n`);
  });

  test('not root with every tool present, it stops before any test and points to npm run test:unit', () => {
    const run = setup(`${aptDir}:${process.env.PATH ?? ''}`, { asNobody: true });
    expect(run).toMatchObject({ code: 1, stdout: '', calls: [] });
    expect(run.stderr).toMatch(/^npm test: the whole suite runs as root \(sudo npm test\).*`npm run test:unit`/);
  });
});

/**
 * The build leaves a V8 code cache next to dist/cli.js and every command bundle (scripts/build.mjs), so that an installed pvpn-gen
 * never writes into its own package directory at run time (as root under sudo, that would be the global
 * node_modules), and every command starts from a cache.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { binSync } from '../support/bin.js';
import { REPO, SEED_SPEC } from '../support/paths.js';

const DIRS = [`${REPO}/dist`, `${REPO}/dist/commands`];

function listing(): Record<string, number> {
  return Object.fromEntries(DIRS.flatMap((dir) => readdirSync(dir).map((f) => [`${dir}/${f}`, statSync(`${dir}/${f}`).mtimeMs])));
}

test('the CLI bundle and every command bundle have a code cache from the build', () => {
  for (const dir of DIRS) {
    const files = readdirSync(dir);
    const bundles = files.filter((f) => f.endsWith('.js'));
    expect(bundles.length, dir).toBeGreaterThan(0);
    for (const bundle of bundles) expect(files.some((f) => f.startsWith(`${bundle}.`) && f.endsWith('.cache')), bundle).toBe(true);
  }
});

test('running the commands writes nothing next to the bundles', () => {
  const before = listing();
  for (const args of [
    ['--spec', SEED_SPEC, 'render', '--target', 'runit'],
    ['--spec', SEED_SPEC, 'validate'],
    ['status', '--project', 'not-installed-here'],
    ['stop', '--project', 'not-installed-here'],
    ['schema'],
  ]) {
    binSync(args);
  }
  expect(listing()).toEqual(before);
});

test('a checkout that was not built says so and exits 70, without a stack trace', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pvpn-unbuilt-'));
  cpSync(`${REPO}/bin`, join(dir, 'bin'), { recursive: true });
  const result = spawnSync(process.execPath, [join(dir, 'bin', 'pvpn-gen.js'), '--version'], { encoding: 'utf8' });
  expect(result.status).toBe(70);
  expect(result.stderr).toMatch(/^pvpn-gen: .*\/dist\/cli\.js is missing: run `npm run build` in the package first\n$/);
});

test('a cache V8 rejects (another node, or damaged) is ignored and replaced once, and the output is the same', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pvpn-cache-'));
  for (const part of ['bin', 'dist']) cpSync(`${REPO}/${part}`, join(dir, part), { recursive: true });
  const cache = join(dir, 'dist', 'commands', 'render.js.runit.cache');
  writeFileSync(cache, Buffer.alloc(4096, 7));
  const args = [join(dir, 'bin', 'pvpn-gen.js'), '--spec', SEED_SPEC, 'render', '--target', 'runit'];
  const first = spawnSync(process.execPath, args, { encoding: 'utf8' });
  const expected = spawnSync(process.execPath, [`${REPO}/bin/pvpn-gen.js`, ...args.slice(1)], { encoding: 'utf8' });
  expect(first.status).toBe(0);
  expect(first.stdout).toBe(expected.stdout);
  const replaced = readFileSync(cache);
  expect(replaced.equals(Buffer.alloc(4096, 7))).toBe(false);
  spawnSync(process.execPath, args, { encoding: 'utf8' });
  expect(readFileSync(cache).equals(replaced)).toBe(true); // accepted now: not written again
});

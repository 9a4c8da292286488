/**
 * Each command loads only what it uses (issue 6): listr2, execa and the diff library are not even in the render and
 * validate bundles, and the everyday read-only commands never load the Node built-ins that cost milliseconds to
 * start (crypto ~2.7 ms, tty and child_process ~2 ms each, the stream machinery).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { BIN, REPO, SEED_SPEC } from '../support/paths.js';

/** Text only each library's code holds (the bundles keep names: no identifier minification). */
const LIBRARY_MARKERS: Readonly<Record<string, string>> = { listr2: 'ListrDefaultRenderer', diff: 'function structuredPatch', execa: 'ExecaError' };

test.each(['render', 'validate'])('the %s bundle holds no listr2, execa or diff code', (command) => {
  const bundle = readFileSync(`${REPO}/dist/commands/${command}.js`, 'utf8');
  for (const [library, marker] of Object.entries(LIBRARY_MARKERS)) expect(bundle.includes(marker), library).toBe(false);
});

test('the markers are real: install holds all three', () => {
  const bundle = readFileSync(`${REPO}/dist/commands/install.js`, 'utf8');
  for (const [library, marker] of Object.entries(LIBRARY_MARKERS)) expect(bundle.includes(marker), library).toBe(true);
});

test('no command bundle holds the ajv or Handlebars compilers: both run at build time (user templates load handlebars from node_modules)', () => {
  // the markers are real: class names in the compilers' own sources
  expect(readFileSync(`${REPO}/node_modules/ajv/dist/compile/validate/index.js`, 'utf8')).toContain('KeywordCxt');
  expect(readFileSync(`${REPO}/node_modules/handlebars/dist/cjs/handlebars/compiler/javascript-compiler.js`, 'utf8')).toContain('JavaScriptCompiler');
  for (const file of readdirSync(`${REPO}/dist/commands`).filter((f) => f.endsWith('.js'))) {
    const bundle = readFileSync(`${REPO}/dist/commands/${file}`, 'utf8');
    expect(bundle.includes('KeywordCxt'), `${file}: ajv`).toBe(false);
    expect(bundle.includes('JavaScriptCompiler'), `${file}: handlebars`).toBe(false);
  }
});

/** The Node built-ins a run of the CLI loaded, beyond those an empty script loads. */
function builtinsLoaded(args: readonly string[]): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'pvpn-graph-'));
  const hook = join(dir, 'hook.cjs');
  const out = join(dir, 'loaded');
  writeFileSync(hook, `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(out)}, process.moduleLoadList.join('\\n')));\n`);
  const run = (argv: readonly string[]) => {
    spawnSync(process.execPath, ['--require', hook, ...argv], { stdio: 'ignore', env: { ...process.env, NODE_OPTIONS: '' } });
    return new Set(readFileSync(out, 'utf8').split('\n'));
  };
  const empty = join(dir, 'empty.cjs');
  writeFileSync(empty, '');
  const baseline = run([empty]);
  return [...run([BIN, ...args])].filter((m) => !baseline.has(m));
}

const EXPENSIVE = /^NativeModule (crypto|tty|child_process|net|internal\/streams\/readable)$/;

test.each([
  ['validate', ['--spec', SEED_SPEC, 'validate']],
  ['render', ['--spec', SEED_SPEC, 'render', '--target', 'systemd']],
  ['diff against an empty root', ['--spec', SEED_SPEC, 'diff', '--target', 'runit', '--root', '<empty>']],
  ['--version', ['--version']],
])('%s loads none of crypto, tty, child_process, net or the streams', (_what, args) => {
  const root = mkdtempSync(join(tmpdir(), 'pvpn-graph-root-'));
  const loaded = builtinsLoaded(args.map((a) => (a === '<empty>' ? root : a)));
  expect(loaded.filter((m) => EXPENSIVE.test(m))).toEqual([]);
});

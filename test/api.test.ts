/** The programmatic API (package.json "exports"): importable without side effects, with its type declarations. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { REPO } from './support/paths.js';

test('the package entry and its declarations exist after the build', async () => {
  const pkg = JSON.parse(readFileSync(`${REPO}/package.json`, 'utf8')) as { exports: { '.': { types: string; default: string } } };
  const { types, default: entry } = pkg.exports['.'];
  expect(existsSync(`${REPO}/${types}`), types).toBe(true);
  const api = (await import(`${REPO}/${entry}`)) as Record<string, unknown>;
  expect(Object.keys(api)).toEqual(expect.arrayContaining(['compileSpec', 'renderSpec', 'loadSpec', 'VERSION']));
  const declarations = readFileSync(`${REPO}/${types}`, 'utf8');
  for (const name of ['compileSpec', 'renderSpec', 'loadSpec']) expect(declarations).toContain(name);
});

test('importing the API has no side effects: no output, no files, no listeners, no environment changes, no costly built-ins', () => {
  const pkg = JSON.parse(readFileSync(`${REPO}/package.json`, 'utf8')) as { exports: { '.': { default: string } } };
  const dir = mkdtempSync(join(tmpdir(), 'pvpn-api-'));
  const script = `
    import { readdirSync } from 'node:fs';
    const snapshot = () => ({
      env: JSON.stringify(process.env),
      listeners: ['exit', 'beforeExit', 'uncaughtException', 'unhandledRejection', 'SIGINT', 'SIGTERM'].map((e) => process.listenerCount(e)),
      files: readdirSync('.'),
    });
    const before = snapshot();
    const builtins = new Set(process.moduleLoadList);
    const api = await import(${JSON.stringify(`${REPO}/${pkg.exports['.'].default}`)});
    const after = snapshot();
    const loaded = process.moduleLoadList.filter((m) => !builtins.has(m) && /^NativeModule (crypto|child_process|tty|net)$/.test(m));
    process.stdout.write(JSON.stringify({ same: JSON.stringify(before) === JSON.stringify(after), before, after, loaded, exports: Object.keys(api).length }));
  `;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: dir, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
  expect(result.stderr).toBe('');
  const report = JSON.parse(result.stdout) as { same: boolean; loaded: string[]; exports: number; before: unknown; after: unknown };
  expect(report.after).toEqual(report.before);
  expect(report.same).toBe(true);
  expect(report.loaded).toEqual([]);
  expect(report.exports).toBeGreaterThan(3);
  expect(readdirSync(dir)).toEqual([]);
});

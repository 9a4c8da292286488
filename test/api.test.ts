/** The programmatic API (package.json "exports"): importable without side effects, with its type declarations. */
import { existsSync, readFileSync } from 'node:fs';
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

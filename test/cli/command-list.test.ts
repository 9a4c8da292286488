/**
 * One command list (src/cli/commands-table.ts): every command's module is src/cli/commands/NAME.ts and exports its
 * own definition with its run; nothing else sits in that folder; the build made one bundle per command of the list.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { COMMANDS } from '../../src/cli/commands-table.js';
import { loadCommandModule } from '../../src/cli/load-command.js';
import { REPO } from '../support/paths.js';

test('src/cli/commands/ holds exactly the modules of the command list', () => {
  const files = readdirSync(`${REPO}/src/cli/commands`).filter((f) => f.endsWith('.ts'));
  expect(files.map((f) => f.slice(0, -3)).sort()).toEqual(COMMANDS.map((c) => c.name).sort());
});

test.each(COMMANDS.map((c) => [c.name, c] as const))('the module of %s exports its definition and a run', async (_name, command) => {
  const module = await loadCommandModule(command);
  expect(module.definition).toBe(command);
  expect(typeof module.run).toBe('function');
});

test('the build made one bundle per command of the list, and no other', () => {
  const bundles = readdirSync(`${REPO}/dist/commands`).filter((f) => f.endsWith('.js'));
  expect(bundles.map((f) => f.slice(0, -3)).sort()).toEqual(COMMANDS.map((c) => c.name).sort());
});

test('the start-up path (commands-table.ts and define.ts) imports nothing but the targets names', () => {
  for (const file of ['commands-table.ts', 'define.ts']) {
    const imports = [...readFileSync(`${REPO}/src/cli/${file}`, 'utf8').matchAll(/^import (?!type ).* from '([^']+)';$/gm)].map((m) => m[1]);
    expect(imports.every((i) => ['../targets/names.js', './define.js'].includes(i ?? '')), `${file}: ${imports.join(', ')}`).toBe(true);
  }
});

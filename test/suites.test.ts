/** The unit/integration split (test/suites.ts) is honest: no test that needs root or a real tool runs in `unit`. */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { expect, test } from 'vitest';
import { REPO } from './support/paths.js';
import TOOLS from './support/tools.json' with { type: 'json' };
import { INTEGRATION_TESTS, isIntegrationTest } from './suites.js';

const testFiles = readdirSync(`${REPO}/test`, { recursive: true, encoding: 'utf8' })
  .filter((file) => file.endsWith('.test.ts'))
  .map((file) => `test/${file}`);

const commands = TOOLS.flatMap((tool) => tool.provides).filter((name) => !name.startsWith('/'));
const NEEDS_REAL_TOOLS = [
  /\brequire(?:Tool|Root)\(/, // test/support/tools.ts
  /\bboot(?:Systemd|Runit|E2E)\(/, // the sandboxes
  /support\/(?:probe|verify)\.js'|\bfindCoreLibrary\(/, // compile with cc, run systemd-analyze verify, read libsystemd-core
  new RegExp(`\\(\\s*'(?:${commands.map((c) => c.replace(/[.+-]/g, '\\$&')).join('|')})'`), // a call with a listed program first: spawnSync of shellcheck, run of snooze
];

test('every entry of INTEGRATION_TESTS exists', () => {
  expect(Object.keys(INTEGRATION_TESTS).filter((entry) => !existsSync(`${REPO}/${entry}`))).toEqual([]);
});

test('every test file that needs root or a program of tools.json is in INTEGRATION_TESTS', () => {
  const misplaced = testFiles.filter((file) => !isIntegrationTest(file) && NEEDS_REAL_TOOLS.some((re) => re.test(readFileSync(`${REPO}/${file}`, 'utf8'))));
  expect(misplaced).toEqual([]);
});

test('the detection sees the real-tool tests it is meant to see', () => {
  const seen = testFiles.filter((file) => NEEDS_REAL_TOOLS.some((re) => re.test(readFileSync(`${REPO}/${file}`, 'utf8'))));
  expect(seen).toEqual(expect.arrayContaining(['test/model/calendar.test.ts', 'test/cli/terminal.test.ts', 'test/e2e/systemd.test.ts', 'test/render/hostile-runit.test.ts']));
});

/** The README's generated tables match the code (run `npm run build && node scripts/readme-tables.mjs` to update). */
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { capabilityTableMarkdown } from '../src/render/capabilities.js';
import { hardeningTableMarkdown } from '../src/targets/systemd/hardening.js';
import { REPO } from './support/paths.js';
// @ts-expect-error: a plain .mjs of the scripts, no types
import { readmeSection } from '../scripts/readme-sections.mjs';

const readme = readFileSync(`${REPO}/README.md`, 'utf8');
const section = (name: string) => readmeSection(readme, name);

test('the capability matrix in the README is the one in src/render/capabilities.ts', () => {
  expect(section('capabilities')).toBe(capabilityTableMarkdown() + '\n');
});

test('the hardening table in the README is the one in src/targets/systemd/hardening.ts', () => {
  expect(section('hardening')).toBe(hardeningTableMarkdown() + '\n');
});

test('the README starts with the two commands: the main job on the example spec, and all tests', () => {
  const firstBlock = /```sh\n([\s\S]*?)```/.exec(readme)?.[1]?.trim().split('\n') ?? [];
  expect(firstBlock).toHaveLength(2);
  expect(firstBlock[0]).toContain('fixtures/protonvpn-updater.yaml');
  expect(firstBlock[1]).toBe('npm test');
});

test(".ci/run runs the README's test command verbatim, and nothing else but its optional init-systems build", () => {
  const testCommand = /```sh\n[^\n]*\n([^\n]*)\n```/.exec(readme)?.[1];
  const commands = readFileSync(`${REPO}/.ci/run`, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('#'));
  expect(commands).toEqual([
    'set -euo pipefail',
    'cd "$(dirname "$0")/.."',
    'if [ -d ../shared/inits ]; then bash scripts/build-inits.sh; fi',
    testCommand,
  ]);
});

test('the README shows the latest `npm run bench` run, as written by the bench (bench/results/latest.md)', async () => {
  // @ts-expect-error: a plain .mjs of the bench, no types
  const { readmeBlock } = (await import('../bench/lib/readme-block.mjs')) as { readmeBlock: (report: string) => string };
  expect(section('bench')).toBe(readmeBlock(readFileSync(`${REPO}/bench/results/latest.md`, 'utf8')) + '\n');
});

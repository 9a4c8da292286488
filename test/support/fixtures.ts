/** The fixtures (fixtures/*.yaml) and the target variants every golden and validator test runs over. */
import { readFileSync, readdirSync } from 'node:fs';
import { compileSpec } from '../../src/model/compile.js';
import { renderSpec } from '../../src/render/render.js';
import type { Rendered, TargetName } from '../../src/render/types.js';
import { FIXTURES } from './paths.js';

export const VARIANTS: ReadonlyArray<readonly [string, TargetName, string | undefined]> = [
  ['systemd', 'systemd', undefined],
  ['runit-artix', 'runit', 'artix'],
  ['runit-void', 'runit', 'void'],
  ['runit-debian', 'runit', 'debian'],
  ['dinit', 'dinit', undefined],
  ['openrc', 'openrc', undefined],
  ['s6', 's6', undefined],
];

export const FIXTURE_NAMES = readdirSync(FIXTURES)
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => f.replace(/\.yaml$/, ''))
  .sort();

export function renderFixture(name: string, target: TargetName, layout?: string): Rendered {
  const file = `${FIXTURES}/${name}.yaml`;
  return renderSpec(compileSpec(readFileSync(file, 'utf8'), file), { target, layout });
}


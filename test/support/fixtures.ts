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

/**
 * Fixtures a target refuses, with the message it gives: these have no golden tree there, and golden.test.ts checks
 * the refusal instead (src/targets/lifecycle-not-yet.ts: OpenRC, dinit and s6 do not render the lifecycle fields yet).
 */
export const REFUSED_FIXTURES: Readonly<Record<string, Partial<Record<TargetName, string>>>> = {
  lifecycle: {
    dinit: 'pvpn-gen does not render this for dinit yet',
    openrc: 'pvpn-gen does not render this for openrc yet',
    s6: 'pvpn-gen does not render this for s6 yet',
  },
};

/** The variants that render fixture `name` (all but those whose target refuses it). */
export function variantsOf(name: string): typeof VARIANTS {
  return VARIANTS.filter(([, target]) => REFUSED_FIXTURES[name]?.[target] === undefined);
}

/** The fixtures `target` renders. */
export function fixturesFor(target: TargetName): string[] {
  return FIXTURE_NAMES.filter((name) => REFUSED_FIXTURES[name]?.[target] === undefined);
}

export function renderFixture(name: string, target: TargetName, layout?: string): Rendered {
  const file = `${FIXTURES}/${name}.yaml`;
  return renderSpec(compileSpec(readFileSync(file, 'utf8'), file), { target, layout });
}


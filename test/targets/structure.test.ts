/**
 * One folder per init system: nothing outside src/targets/ asks which target it has (no `target === 'runit'`, no
 * target's name in code at all), it asks the target through the Target interface; and every target in the table
 * implements it, with its templates in templates/NAME/.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, test } from 'vitest';
import { TARGETS } from '../../src/targets/index.js';
import { TARGET_LAYOUTS, TARGET_NAMES } from '../../src/targets/names.js';
import { REPO } from '../support/paths.js';

function sources(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.startsWith('_generated'))
    .map((f) => join(dir, f));
}

/** The code of a file without its comments (a comment may name a target: `e.g. runit's supervise/`). */
function code(file: string): string {
  return readFileSync(file, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

describe('targets', () => {
  test('no target is named in code outside src/targets/ (names.ts excepted)', () => {
    const names = new RegExp(`['"\`](${TARGET_NAMES.join('|')})['"\`]`);
    const offenders = sources(join(REPO, 'src'))
      .filter((file) => !relative(REPO, file).startsWith('src/targets/'))
      .flatMap((file) =>
        code(file)
          .split('\n')
          .filter((line) => names.test(line))
          .map((line) => `${relative(REPO, file)}: ${line.trim()}`),
      );
    expect(offenders).toEqual([]);
  });

  test.each(TARGET_NAMES)('%s: in the table, with its folder, its templates and its layouts', (name) => {
    const target = TARGETS[name];
    expect(target.name).toBe(name);
    expect(target.layouts).toEqual(TARGET_LAYOUTS[name]);
    expect(existsSync(join(REPO, 'src/targets', name, 'index.ts'))).toBe(true);
    expect(readdirSync(join(REPO, 'templates', name)).some((f) => f.endsWith('.hbs') && !f.startsWith('_'))).toBe(true);
  });
});

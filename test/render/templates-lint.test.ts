/**
 * Templates never print a raw value: every {{...}} is a call of one of the escaping helpers (src/render/engine.ts)
 * with its arguments, and the environment compiles them with noEscape and strict (no HTML escaping anywhere).
 */
import { readFileSync, readdirSync } from 'node:fs';
import Handlebars from 'handlebars';
import { describe, expect, test } from 'vitest';
import { HELPERS } from '../../src/render/engine.js';
import options from '../../src/render/handlebars-options.json' with { type: 'json' };
import { REPO } from '../support/paths.js';

const files = readdirSync(`${REPO}/templates`, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.hbs'));

type AstNode = { type: string; path?: { original?: string }; params?: unknown[]; program?: { body: AstNode[] }; inverse?: { body: AstNode[] } };

function mustaches(nodes: readonly AstNode[]): AstNode[] {
  return nodes.flatMap((n) => [
    ...(n.type === 'MustacheStatement' || n.type === 'SubExpression' ? [n] : []),
    ...((n.params ?? []) as AstNode[]).filter((p) => p.type === 'SubExpression').flatMap((p) => mustaches([p])),
    ...mustaches(n.program?.body ?? []),
    ...mustaches(n.inverse?.body ?? []),
  ]);
}

describe.each(files)('templates/%s', (file) => {
  test('every {{...}} goes through an escaping helper', () => {
    const ast = Handlebars.parse(readFileSync(`${REPO}/templates/${file}`, 'utf8')) as unknown as { body: AstNode[] };
    const found = mustaches(ast.body);
    // a partial may be plain script text (the shared sh functions); a whole template without a value is a mistake
    if (!file.split('/').pop()?.startsWith('_')) expect(found.length).toBeGreaterThan(0);
    for (const m of found) {
      expect(Object.keys(HELPERS), `{{${m.path?.original}}} is not a helper`).toContain(m.path?.original);
      expect(m.params?.length ?? 0, `{{${m.path?.original}}} without an argument`).toBeGreaterThan(0);
    }
  });
});

test('the environment never HTML-escapes and is strict', () => {
  expect(options).toMatchObject({ noEscape: true, strict: true, knownHelpersOnly: true });
  expect(Object.keys(options.knownHelpers).sort()).toEqual(Object.keys(HELPERS).sort());
});

/**
 * The built-in templates are compiled to plain functions at build time (scripts/template-codegen.mjs), not run by
 * the Handlebars runtime. Here the real Handlebars compiler renders the same templates from templates/ with the
 * same options and helpers, and every output must be byte-identical: all fixtures on every target and layout, and
 * generated hostile specs. The codegen's own corner cases are compared with Handlebars on small templates, and
 * what it does not support must fail the build, not render differently.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import Handlebars from 'handlebars';
import { describe, expect, test } from 'vitest';
import { compileTemplatesModule } from '../../scripts/template-codegen.mjs';
import { HELPERS, TEMPLATE_NAMES, environment, templatesWithOverrides, type TemplateName, type TemplateSet } from '../../src/render/engine.js';
import handlebarsOptions from '../../src/render/handlebars-options.json' with { type: 'json' };
import { renderSpec } from '../../src/render/render.js';
import type { Rendered, TargetName } from '../../src/render/types.js';
import { compileSpec } from '../../src/model/compile.js';
import { FIXTURE_NAMES, renderFixture, variantsOf } from '../support/fixtures.js';
import { everyTokenCase, hostileCase, hostileService, hostileSpecText } from '../support/hostile.js';
import { FIXTURES, REPO } from '../support/paths.js';

/** Every built-in template, compiled at run time by Handlebars itself (the path user overrides take). */
const byHandlebars: TemplateSet = templatesWithOverrides(
  Handlebars,
  Object.fromEntries(TEMPLATE_NAMES.map((name) => [name, readFileSync(join(REPO, 'templates', `${name}.hbs`), 'utf8')])) as Record<TemplateName, string>,
  handlebarsOptions,
);

function contents(rendered: Rendered): Record<string, string> {
  return Object.fromEntries(rendered.entries.map((e) => [e.path, e.kind === 'file' ? e.content : `-> ${e.target}`]));
}

describe.each(FIXTURE_NAMES)('fixture %s', (name) => {
  test.each(variantsOf(name))('%s: compiled templates = Handlebars', (_variant, target, layout) => {
    const file = `${FIXTURES}/${name}.yaml`;
    const model = compileSpec(readFileSync(file, 'utf8'), file);
    expect(contents(renderFixture(name, target, layout))).toEqual(contents(renderSpec(model, { target, layout, templates: byHandlebars })));
  });
});

test('hostile specs: compiled templates = Handlebars on both targets', () => {
  const both = (spec: string) => {
    const model = compileSpec(spec, 'hostile.json');
    for (const [target, layout] of [['systemd', undefined], ['runit', 'void']] as Array<[TargetName, string | undefined]>) {
      expect(contents(renderSpec(model, { target, layout }))).toEqual(contents(renderSpec(model, { target, layout, templates: byHandlebars })));
    }
  };
  const every = everyTokenCase();
  both(hostileSpecText({ every: hostileService(['/bin/echo', ...every.args], every.env) }));
  fc.assert(
    fc.property(hostileCase(1), (c) => both(hostileSpecText({ job: hostileService(['/bin/echo', ...c.args], c.env) }))),
    { numRuns: 200 },
  );
});

/** compileTemplatesModule's output, evaluated: name -> render(view) with our helpers. */
function compileSmall(templates: Record<string, string>, partials: Record<string, string> = {}): Record<string, (view: object) => string> {
  const list = [
    ...Object.entries(templates).map(([name, source]) => ({ name, partial: false, source })),
    ...Object.entries(partials).map(([name, source]) => ({ name, partial: true, source })),
  ];
  const source = compileTemplatesModule(list, handlebarsOptions).replace(/^export /gm, '') + '\nreturn { compiledTemplates, compiledPartials };';
  const { compiledTemplates, compiledPartials } = new Function(source)() as Record<string, Record<string, (c: object, h: object, p: object, d: unknown[]) => string>>;
  return Object.fromEntries(Object.keys(templates).map((name) => [name, (view: object) => compiledTemplates![name]!(view, HELPERS, compiledPartials!, [view])]));
}

function handlebarsSmall(source: string, partials: Record<string, string> = {}): (view: object) => string {
  return environment(Handlebars, handlebarsOptions, partials).compile(source, handlebarsOptions);
}

describe('the codegen agrees with Handlebars on', () => {
  const partials = { 'x/part': '{{#if flag}}\n[{{sdWord word}}]\n{{/if}}\n' };
  const cases: Array<[string, string, object[]]> = [
    [
      '#if and #unless on every kind of falsy and truthy value',
      '{{#if v}}\nyes\n{{else}}\nno\n{{/if}}\n{{#unless v}}u{{/unless}}.\n',
      [{ v: 0 }, { v: 1 }, { v: '' }, { v: 'a' }, { v: [] }, { v: [0] }, { v: {} }, { v: null }, { v: false }, { v: true }, { v: -1 }, {}],
    ],
    ['else-if chains', '{{#if a}}a{{else if b}}b{{else}}c{{/if}}\n', [{ a: 1, b: 1 }, { a: 0, b: 1 }, { a: 0, b: 0 }]],
    [
      '#each over arrays, objects and nothing, with else, this and ../',
      'start\n{{#each xs}}\n- {{sh this}} of {{sh ../name}}\n{{else}}\nnone\n{{/each}}\nend\n',
      [{ xs: ['a', "b'c"], name: 'n' }, { xs: { k: 'v', j: 'w' }, name: 'm' }, { xs: [], name: 'e' }, { xs: null, name: 'z' }],
    ],
    ['nested #each with paths into items', '{{#each users}}{{#each groups}}{{sysusers ../name}}:{{sysusers this}} {{/each}}\n{{/each}}', [{ users: [{ name: 'u1', groups: ['g1', 'g2'] }, { name: 'u2', groups: [] }] }]],
    ['sub-expressions, string and number literals', '{{sh (svlogd "s" size)}} {{comment "a " 1 " b"}}\n', [{ size: 1024 }]],
    ['dotted paths', '{{sdWord a.b}}\n', [{ a: { b: 'deep' } }]],
    ['standalone lines and ~ whitespace control', '  {{#if a}}  \nx   {{~sdWord w~}}   y\n  {{/if}}\n{{! a comment }}\nz\n', [{ a: 1, w: 'w' }, { a: 0, w: 'w' }]],
    ['partials with the current context', 'head\n{{> x/part}}\n{{#each items}}\n{{> x/part}}\n{{/each}}\n', [{ flag: 1, word: 'top', items: [{ flag: 1, word: 'a' }, { flag: 0, word: 'b' }] }]],
  ];
  test.each(cases)('%s', (_what, source, views) => {
    const ours = compileSmall({ t: source }, partials).t!;
    const theirs = handlebarsSmall(source, partials);
    for (const view of views) expect(ours(view), JSON.stringify(view)).toBe(theirs(view));
  });

  test('a missing field reaches the helper as undefined, which refuses it, as with Handlebars', () => {
    const ours = compileSmall({ t: '{{sdWord nothing}}' }).t!;
    expect(() => ours({})).toThrow(/template helper sdWord: expected text, got undefined/);
    expect(() => handlebarsSmall('{{sdWord nothing}}')({})).toThrow(/template helper sdWord: expected text, got undefined/);
  });
});

describe('what the codegen does not support fails the build', () => {
  test.each([
    ['a bare value', '{{name}}', /without a helper/],
    ['@data variables', '{{#each xs}}{{sh @index}}{{/each}}', /@data variable @index/],
    ['other block helpers', '{{#with a}}{{sh b}}{{/with}}', /block helper #with/],
    ['hash arguments', '{{#if a includeZero=true}}x{{/if}}', /hash argument/],
    ['block parameters', '{{#each xs as |x|}}{{sh x}}{{/each}}', /block parameters/],
    ['unknown helpers', '{{nosuch a}}', /known helpers/],
    ['partials with a context', '{{> x/part other}}', /partial with a context/],
  ])('%s', (_what, source, message) => {
    expect(() => compileSmall({ t: source })).toThrow(message);
  });
});

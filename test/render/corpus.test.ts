/**
 * The corpus (fixtures/corpus/): 48 services distributions really ship, each with its original files, where they
 * came from (SOURCE.json) and a spec written for it (pvpn-gen.yaml, drafted against fixtures/corpus/PROPOSAL.md).
 * For each service this states which spec fields express it and which the spec does not have yet, then renders
 * the draft with the real compiler on the target the original was written for. "Fully expressible" means the draft
 * is accepted and renders with no error: the count is printed and pinned, so a new field moves it on purpose.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { CORE_SCHEMA, load as loadYaml } from 'js-yaml';
import { SpecError } from '../../src/errors.js';
import { compileSpec } from '../../src/model/compile.js';
import { renderSpec } from '../../src/render/render.js';
import { FIXTURES, REPO } from '../support/paths.js';

const CORPUS = `${FIXTURES}/corpus`;
/** What the corpus pins: services whose draft renders today, on their own target, without and with --strict. */
const EXPRESSIBLE = 9;
const EXPRESSIBLE_STRICT = 2;

const schema = JSON.parse(readFileSync(`${REPO}/schema/pvpn-gen.schema.json`, 'utf8')) as { $defs: Record<string, SchemaNode> };

type SchemaNode = { $ref?: string; anyOf?: SchemaNode[]; oneOf?: SchemaNode[]; properties?: Record<string, SchemaNode>; items?: SchemaNode };

function resolve(node: SchemaNode | undefined): SchemaNode[] {
  if (!node) return [];
  if (node.$ref) return resolve((schema.$defs as Record<string, SchemaNode>)[node.$ref.replace('#/$defs/', '')]).concat(node.properties ? [node] : []);
  const alternatives = [...(node.anyOf ?? []), ...(node.oneOf ?? [])].flatMap(resolve);
  return [node, ...alternatives, ...(node.items ? resolve(node.items) : [])];
}

/** Whether the schema has the field `path` (a.b.c) under a service. */
function known(path: readonly string[]): boolean {
  let nodes = resolve((schema.$defs as Record<string, SchemaNode>).serviceFields);
  for (const part of path) {
    nodes = nodes.flatMap((n) => resolve(n.properties?.[part]));
    if (nodes.length === 0) return false;
  }
  return true;
}

/** The fields a service's spec uses: its keys, and one level into the object-valued ones (hardening.network). */
function fieldsOf(service: Record<string, unknown>): string[][] {
  return Object.entries(service).flatMap(([key, value]) =>
    value !== null && typeof value === 'object' && !Array.isArray(value) && key !== 'environment' && key !== 'credentials'
      ? [[key], ...Object.keys(value).map((sub) => [key, sub])]
      : [[key]],
  );
}

interface Verdict {
  readonly dir: string;
  readonly target: 'systemd' | 'runit';
  readonly used: readonly string[];
  readonly missing: readonly string[];
  readonly errors: readonly string[];
  readonly strictErrors: readonly string[];
}

function problemsOf(render: () => unknown): string[] {
  try {
    render();
    return [];
  } catch (error) {
    if (!(error instanceof SpecError)) throw error;
    return error.problems.map((p) => `${p.pointer}: ${p.message}`);
  }
}

function verdict(dir: string): Verdict {
  const source = JSON.parse(readFileSync(`${CORPUS}/${dir}/SOURCE.json`, 'utf8')) as { target: 'systemd' | 'runit' };
  const file = `${CORPUS}/${dir}/pvpn-gen.yaml`;
  const text = readFileSync(file, 'utf8');
  const draft = compileDraftFields(text);
  const used = [...new Set(draft.flatMap(fieldsOf).map((p) => p.join('.')))].sort();
  const missing = used.filter((field) => !known(field.split('.')));
  const layout = source.target === 'runit' ? (dir.startsWith('artix-') ? 'artix' : 'void') : undefined;
  const render = (strict: boolean) => () => renderSpec(compileSpec(text, file), { target: source.target, layout, strict });
  return { dir, target: source.target, used, missing, errors: problemsOf(render(false)), strictErrors: problemsOf(render(true)) };
}

/** The services of a draft as plain data (defaults merged in as a service would see them). */
function compileDraftFields(text: string): Record<string, unknown>[] {
  const doc = loadYaml(text, { schema: CORE_SCHEMA }) as { defaults?: Record<string, unknown>; services: Record<string, Record<string, unknown>> };
  return Object.values(doc.services).map((s) => ({ ...doc.defaults, ...s }));
}

const dirs = readdirSync(CORPUS, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort();

test('the corpus holds 30 or more real services, each with its source, original files and a spec', () => {
  expect(dirs.length).toBeGreaterThanOrEqual(30);
  for (const dir of dirs) {
    const source = JSON.parse(readFileSync(`${CORPUS}/${dir}/SOURCE.json`, 'utf8')) as { url: string; licence: string; files: unknown[] };
    expect(source.url, dir).toMatch(/^https:\/\//);
    expect(source.licence, dir).not.toBe('');
    expect(source.files.length, dir).toBeGreaterThan(0);
    expect(readdirSync(`${CORPUS}/${dir}/original`, { recursive: true }).length, dir).toBeGreaterThan(0);
  }
});

test('which spec fields express each service, and how many are fully expressible today', () => {
  const verdicts = dirs.map(verdict);
  const lines = verdicts.map((v) => {
    const state = v.errors.length === 0 ? (v.strictErrors.length === 0 ? 'yes' : 'yes (warnings)') : 'no';
    const missing = v.missing.length > 0 ? `; missing: ${v.missing.join(', ')}` : '';
    const other = v.missing.length === 0 && v.errors.length > 0 ? `; refused: ${v.errors[0]}` : '';
    return `${v.dir} [${v.target}] ${state}: ${v.used.filter((f) => !v.missing.includes(f)).join(', ')}${missing}${other}`;
  });
  const expressible = verdicts.filter((v) => v.errors.length === 0).length;
  const strict = verdicts.filter((v) => v.strictErrors.length === 0).length;
  console.log(`${lines.join('\n')}\n\nfully expressible today: ${expressible} of ${verdicts.length} (${strict} also with --strict)`);
  // a draft whose fields all exist must render: anything else is a refusal to look at
  for (const v of verdicts) if (v.missing.length === 0 && v.errors.length > 0) console.log(`${v.dir}: every field exists, still refused:\n  ${v.errors.join('\n  ')}`);
  expect({ expressible, strict }).toEqual({ expressible: EXPRESSIBLE, strict: EXPRESSIBLE_STRICT });
});

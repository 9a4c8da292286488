/**
 * The JSON Schema works in editors (issue 15): the real yaml-language-server, spoken to over stdio as an editor
 * does, reads the `# yaml-language-server: $schema=` line of the spec `pvpn-gen init` writes, completes a key and
 * flags a bad value. The schema URL (unpkg, the published package's schema/) is answered from the checkout's schema/
 * by the client, as VS Code answers `vscode/content`: no network, and no other schema asked for.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { STARTER_SPEC } from '../../src/cli/starter-spec.js';
import { LspClient } from '../support/lsp.js';
import { REPO } from '../support/paths.js';

type Diagnostic = { range: { start: { line: number; character: number } }; message: string; severity: number };
type Published = { uri: string; version?: number; diagnostics: Diagnostic[] };
type CompletionItem = { label: string; insertText?: string };

const SCHEMA_URL = /^# yaml-language-server: \$schema=(\S+)\n/.exec(STARTER_SPEC)?.[1] as string;
const SCHEMA_TEXT = readFileSync(`${REPO}/schema/pvpn-gen.schema.json`, 'utf8');
const SERVER = createRequire(import.meta.url).resolve('yaml-language-server/bin/yaml-language-server');
const asked: string[] = [];
let server: LspClient;
let version = 0;

function answer(method: string, params: unknown): unknown {
  if (method === 'vscode/content') {
    const uri = String(Array.isArray(params) ? params[0] : params); // a lone string goes as [string] in JSON-RPC
    asked.push(uri);
    if (uri === SCHEMA_URL) return SCHEMA_TEXT;
    throw new Error(`no network here: ${uri}`);
  }
  if (method === 'workspace/configuration') {
    const items = (params as { items: { section?: string }[] }).items;
    return items.map((item) => (item.section === 'yaml' ? { validate: true, completion: true, hover: true, schemaStore: { enable: false } } : {}));
  }
  return null; // client/registerCapability and the like
}

/** Opens TEXT as a new document and returns its diagnostics, once the server has validated it. */
async function open(name: string, text: string): Promise<{ uri: string; diagnostics: Diagnostic[] }> {
  const uri = `file:///srv/specs/${name}`;
  version += 1;
  server.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version, text } });
  const published = await server.notification<Published>('textDocument/publishDiagnostics', (p) => p.uri === uri);
  return { uri, diagnostics: published.diagnostics };
}

const lineOf = (text: string, needle: string) => text.split('\n').findIndex((line) => line.includes(needle));

beforeAll(async () => {
  expect(SCHEMA_URL).toBe('https://unpkg.com/pvpn-gen/schema/pvpn-gen.schema.json');
  server = new LspClient(process.execPath, [SERVER, '--stdio'], answer);
  await server.request('initialize', {
    processId: process.pid,
    rootUri: null,
    capabilities: { workspace: { configuration: true }, textDocument: { completion: { completionItem: { snippetSupport: true } } } },
  });
  server.notify('initialized', {});
  // the client fetches http(s) schemas for the server (VS Code does: schemas behind a proxy resolve)
  server.notify('yaml/registerContentRequest', null);
  server.notify('workspace/didChangeConfiguration', { settings: null });
}, 30_000);

afterAll(async () => {
  await server?.close();
});

test('the spec init writes validates clean, with the schema its first line names', async () => {
  const { diagnostics } = await open('starter.yaml', STARTER_SPEC);
  expect(diagnostics).toEqual([]);
  expect(asked).toEqual([SCHEMA_URL]);
});

test('a key: inside a service, the fields it lacks are offered', async () => {
  const text = STARTER_SPEC.replace('    description: Example periodic job\n', '    description: Example periodic job\n    \n');
  const { uri } = await open('completion.yaml', text);
  const line = lineOf(text, 'description: Example periodic job') + 1;
  const result = await server.request<{ items: CompletionItem[] } | CompletionItem[]>('textDocument/completion', {
    textDocument: { uri },
    position: { line, character: 4 },
  });
  const labels = (Array.isArray(result) ? result : result.items).map((item) => item.label);
  expect(labels).toEqual(expect.arrayContaining(['calendar', 'restart', 'restartDelay', 'dynamicUser', 'hardening']));
  expect(labels).not.toContain('interval'); // the service has one
  expect(labels).not.toContain('services'); // a top-level key, not a service's
});

test('a bad value: flagged at its position, with the values the schema allows', async () => {
  const text = STARTER_SPEC.replace('hardening: strict ', 'hardening: strictest');
  const { diagnostics } = await open('bad-value.yaml', text);
  const line = lineOf(text, 'hardening: strictest');
  expect(diagnostics).toHaveLength(1);
  expect(diagnostics[0]).toMatchObject({ severity: 1, range: { start: { line, character: text.split('\n')[line]?.indexOf('strictest') } } });
  expect(diagnostics[0]?.message).toMatch(/"none", "basic", "strict"/);
});

test('a bad duration: the pattern of the schema applies', async () => {
  const text = STARTER_SPEC.replace('interval: 1h ', 'interval: 1 fortnight');
  const { diagnostics } = await open('bad-duration.yaml', text);
  expect(diagnostics.map((d) => d.range.start.line)).toEqual([lineOf(text, 'interval: 1 fortnight')]);
});

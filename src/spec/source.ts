/**
 * Spec text -> plain data plus a way back from a JSON pointer to a line and column.
 *
 * One parser for YAML and JSON (JSON is YAML 1.2), so both get positions, duplicate-key errors and the same
 * scalar rules. YAML 1.2 core schema on purpose: `on`, `no`, `yes` stay strings (no YAML 1.1 surprises);
 * validation then explains the few places where a 1.1 reading was probably meant.
 */
import { LineCounter, parseDocument, isMap, isPair, isScalar, isSeq } from 'yaml';
import type { Document, Node as YamlNode, Pair } from 'yaml';
import { SpecError } from '../errors.js';
import { parsePointer, type Problem, type SourcePosition } from './problem.js';

export interface SpecSource {
  /** The file name used in messages. */
  readonly file: string;
  /** The parsed document (or the sub-tree under `basePath`, for the `pvpn-gen` key of package.json). */
  readonly data: unknown;
  /** Position of the value at `pointer` (or of its key, which is where a reader looks for a wrong key). */
  locate(pointer: string, which?: 'key' | 'value'): SourcePosition | undefined;
}

export interface ParseOptions {
  /** Where the spec lives inside the document, e.g. ['pvpn-gen'] for package.json. */
  readonly basePath?: readonly string[];
}

const MAX_ALIASES = 100; // a "billion laughs" document stops here instead of exhausting memory

export function parseSpecSource(text: string, file: string, options: ParseOptions = {}): SpecSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter,
    version: '1.2',
    schema: 'core',
    uniqueKeys: true,
    prettyErrors: false,
    strict: true,
    merge: false,
  });
  const at = (offset: number | undefined): SourcePosition | undefined => {
    if (offset === undefined) return undefined;
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const problems: Problem[] = [...doc.errors, ...doc.warnings].map((e) => ({
    severity: 'error' as const,
    file,
    position: at(e.pos[0]),
    pointer: '',
    message: yamlMessage(e.code, e.message),
  }));
  if (problems.length > 0) throw new SpecError(problems);

  const basePath = options.basePath ?? [];
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (error) {
    throw new SpecError([{ severity: 'error', file, pointer: '', message: (error as Error).message }]);
  }
  for (const key of basePath) data = (data as Record<string, unknown> | null)?.[key];
  if (data === null || data === undefined) {
    throw new SpecError([
      {
        severity: 'error',
        file,
        position: at(0),
        pointer: '',
        message: 'the spec is empty; run `pvpn-gen init` for a commented starter spec',
      },
    ]);
  }

  return {
    file,
    data,
    locate(pointer, which = 'value') {
      const found = findNode(doc, [...basePath, ...parsePointer(pointer)]);
      if (!found) return undefined;
      const node = which === 'key' && found.pair ? found.pair.key : found.node;
      return at(rangeStart(node) ?? rangeStart(found.node));
    },
  };
}

function rangeStart(node: unknown): number | undefined {
  if (node && typeof node === 'object' && 'range' in node) {
    const range = (node as { range?: [number, number, number] }).range;
    return range?.[0];
  }
  return undefined;
}

/** Walks the YAML tree along the pointer; stops at the deepest node that exists (a missing key points at its map). */
function findNode(doc: Document, path: readonly string[]): { node: YamlNode | null; pair?: Pair } | undefined {
  let node: unknown = doc.contents;
  let pair: Pair | undefined;
  for (const segment of path) {
    if (isMap(node)) {
      const next = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === segment);
      if (!next) break;
      pair = next;
      node = next.value;
    } else if (isSeq(node)) {
      const index = Number(segment);
      const next = node.items[index];
      if (!Number.isInteger(index) || next === undefined) break;
      pair = undefined;
      node = next;
    } else {
      break;
    }
  }
  return { node: (node as YamlNode | null) ?? null, ...(pair ? { pair } : {}) };
}

/** The yaml package's messages, made to say what to do. */
function yamlMessage(code: string, message: string): string {
  const first = message.split('\n')[0] ?? message;
  switch (code) {
    case 'DUPLICATE_KEY':
      return 'this key appears twice in the same mapping; keep one of them';
    case 'MULTIPLE_DOCS':
      return 'the spec holds several YAML documents (---); keep one';
    case 'TAB_AS_INDENT':
      return 'a tab is used for indentation; YAML needs spaces';
    case 'BAD_INDENT':
      return `invalid YAML: ${first}; check the indentation of this line`;
    case 'TAG_RESOLVE_FAILED':
      return `invalid YAML: ${first}; remove the !tag`;
    default:
      return `invalid YAML: ${first}`;
  }
}

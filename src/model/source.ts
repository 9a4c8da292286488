/**
 * Spec text -> plain data plus a way back from a JSON pointer to a line and column.
 *
 * A `.json` file (package.json too) is read as JSON (json-source.ts), anything else as YAML 1.2 (yaml-source.ts).
 * Either way the data is built at once and nothing else is kept but the text: most runs need no position, so the
 * offsets tree is built by reading the text again when the first message needs one (a failing run pays a second
 * parse; a passing run carries no tree through render and plan).
 */
import { SpecError } from '../errors.js';
import { readJson } from './json-source.js';
import { parsePointer, type SourcePosition } from './problem.js';
import { findNode, SyntaxProblem, type ParsedText, type TreeNode } from './source-tree.js';
import { readYaml } from './yaml-source.js';

export interface SpecSource {
  /** The file name used in messages. */
  readonly file: string;
  /** The parsed document (or the sub-tree under `basePath`, for the `pvpn-gen` key of package.json). */
  readonly data: unknown;
  /** Position of the value at `pointer` (or of its key, which is where a reader looks for a wrong key). */
  locate(pointer: string, which?: 'key' | 'value'): SourcePosition | undefined;
}

export type SpecFormat = 'yaml' | 'json';

export interface ParseOptions {
  /** Where the spec lives inside the document, e.g. ['pvpn-gen'] for package.json. */
  readonly basePath?: readonly string[];
  /** How to read the text; by default JSON for a file named *.json, YAML otherwise. */
  readonly format?: SpecFormat;
}

export function formatOf(file: string): SpecFormat {
  return /\.json$/i.test(file) ? 'json' : 'yaml';
}

export function parseSpecSource(text: string, file: string, options: ParseOptions = {}): SpecSource {
  // the line table is built only when a message needs a position
  let at: ((offset: number) => SourcePosition) | undefined;
  const position = (offset: number) => {
    at ??= positionsOf(text);
    return at(offset);
  };
  let parsed: ParsedText;
  try {
    parsed = (options.format ?? formatOf(file)) === 'json' ? readJson(text) : readYaml(text, file);
  } catch (error) {
    if (!(error instanceof SyntaxProblem)) throw error;
    const where = error.lineColumn ?? (error.offset === undefined ? undefined : position(error.offset));
    throw new SpecError([{ severity: 'error', file, position: where, pointer: '', message: error.message }]);
  }

  const basePath = options.basePath ?? [];
  let data: unknown = parsed.data;
  for (const key of basePath) data = (data as Record<string, unknown> | null | undefined)?.[key];
  if (data === null || data === undefined) {
    const message =
      basePath.length > 0 && parsed.data !== null && parsed.data !== undefined
        ? `no ${basePath.map((k) => JSON.stringify(k)).join('.')} key in this file; put the spec under it`
        : 'the spec is empty; run `pvpn-gen init` for a commented starter spec';
    throw new SpecError([{ severity: 'error', file, position: position(0), pointer: '', message }]);
  }

  const readTree = parsed.tree; // what locate keeps: the text (through readTree), not the data
  let tree: TreeNode | undefined;
  return {
    file,
    data,
    locate(pointer, which = 'value') {
      tree ??= readTree();
      const found = findNode(tree, [...basePath, ...parsePointer(pointer)]);
      const offset = which === 'key' && found.key ? found.key.start : found.node.start >= 0 ? found.node.start : found.key?.start;
      return offset === undefined || offset < 0 ? undefined : position(offset);
    },
  };
}

/** Offsets -> 1-based line and column. */
function positionsOf(text: string): (offset: number) => SourcePosition {
  const lineStarts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  return (offset) => {
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((lineStarts[mid] ?? 0) <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: offset - (lineStarts[low] ?? 0) + 1 };
  };
}

/**
 * Spec text -> plain data plus a way back from a JSON pointer to a line and column.
 *
 * One parser for YAML and JSON (JSON is YAML 1.2): js-yaml's event stream, which carries source offsets. The data
 * is constructed from the events at once (fast: most runs need nothing else); the positions only when a message
 * needs one. YAML 1.2 core schema on purpose: `on`, `no`, `yes` stay strings (no YAML 1.1 surprises); validation
 * explains the few places where a 1.1 reading was probably meant.
 */
import {
  CORE_SCHEMA,
  EVENT_ALIAS,
  EVENT_DOCUMENT,
  EVENT_MAPPING,
  EVENT_POP,
  EVENT_SCALAR,
  EVENT_SEQUENCE,
  SCALAR_STYLE_DOUBLE_QUOTED,
  SCALAR_STYLE_SINGLE_QUOTED,
  constructFromEvents,
  getScalarValue,
  parseEvents,
} from 'js-yaml';
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
const MAX_DEPTH = 64;

type Event = ReturnType<typeof parseEvents>[number];

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

export function parseSpecSource(text: string, file: string, options: ParseOptions = {}): SpecSource {
  const at = positionsOf(text);
  let events: Event[];
  let documents: unknown[];
  try {
    events = parseEvents(text, { filename: file, maxDepth: MAX_DEPTH });
    documents = constructFromEvents(events, { source: text, filename: file, schema: CORE_SCHEMA, maxAliases: MAX_ALIASES });
  } catch (error) {
    throw new SpecError([yamlProblem(error, file, at)]);
  }
  if (documents.length > 1) {
    const second = events.findIndex((e, i) => i > 0 && e.type === EVENT_DOCUMENT);
    const start = firstOffset(events.slice(second));
    throw new SpecError([{ severity: 'error', file, position: start === undefined ? undefined : at(start), pointer: '', message: 'the spec holds several YAML documents (---); keep one' }]);
  }

  const basePath = options.basePath ?? [];
  let data: unknown = documents[0];
  for (const key of basePath) data = (data as Record<string, unknown> | null | undefined)?.[key];
  if (data === null || data === undefined) {
    throw new SpecError([{ severity: 'error', file, position: at(0), pointer: '', message: 'the spec is empty; run `pvpn-gen init` for a commented starter spec' }]);
  }

  let tree: TreeNode | undefined;
  return {
    file,
    data,
    locate(pointer, which = 'value') {
      tree ??= buildTree(events, text);
      const found = findNode(tree, [...basePath, ...parsePointer(pointer)]);
      if (!found) return undefined;
      const offset = which === 'key' && found.key ? found.key.start : found.node.start >= 0 ? found.node.start : found.key?.start;
      return offset === undefined || offset < 0 ? undefined : at(offset);
    },
  };
}

function firstOffset(events: readonly Event[]): number | undefined {
  for (const e of events) {
    if (e.type === EVENT_MAPPING || e.type === EVENT_SEQUENCE) return e.start;
    if (e.type === EVENT_SCALAR && e.valueStart >= 0) return e.valueStart;
  }
  return undefined;
}

/** js-yaml's exceptions, made to say what to do, at the place the parser stopped. */
function yamlProblem(error: unknown, file: string, at: (offset: number) => SourcePosition): Problem {
  const e = error as { reason?: string; message?: string; mark?: { line?: number; column?: number; position?: number } };
  const reason = e.reason ?? (e.message ?? String(error)).split('\n')[0] ?? 'invalid YAML';
  const mark = e.mark;
  const position =
    mark?.line !== undefined && mark.column !== undefined ? { line: mark.line + 1, column: mark.column + 1 } : mark?.position !== undefined ? at(mark.position) : undefined;
  let message = `invalid YAML: ${reason}`;
  if (reason.startsWith('duplicated mapping key')) message = 'this key appears twice in the same mapping; keep one of them';
  else if (reason.includes('tab characters')) message = 'a tab is used for indentation; YAML needs spaces';
  else if (/unknown .*tag/.test(reason)) message = `invalid YAML: ${reason}; remove the !tag`;
  else if (reason.includes('maxAliases')) message = `more than ${MAX_ALIASES} aliases (*name); spell the values out, or use defaults:`;
  else if (reason.includes('bad indentation')) message = `invalid YAML: ${reason}; check the indentation of this line`;
  return { severity: 'error', file, position, pointer: '', message };
}

/** The document's shape with source offsets: only built when a message needs a position. */
interface TreeNode {
  readonly start: number;
  readonly kind: 'mapping' | 'sequence' | 'scalar' | 'alias';
  /** scalar text (for mapping keys) */
  readonly text?: string;
  readonly children: TreeNode[];
}

function buildTree(events: readonly Event[], source: string): TreeNode {
  const root: TreeNode = { start: 0, kind: 'sequence', children: [] };
  const stack: TreeNode[] = [root];
  for (const event of events) {
    const parent = stack[stack.length - 1] as TreeNode;
    switch (event.type) {
      case EVENT_MAPPING:
      case EVENT_SEQUENCE: {
        const node: TreeNode = { start: event.start, kind: event.type === EVENT_MAPPING ? 'mapping' : 'sequence', children: [] };
        parent.children.push(node);
        stack.push(node);
        break;
      }
      case EVENT_SCALAR: {
        // a quoted scalar's value starts after its quote; the reader looks for the quote
        const quoted = event.style === SCALAR_STYLE_SINGLE_QUOTED || event.style === SCALAR_STYLE_DOUBLE_QUOTED;
        const start = event.valueStart >= 0 && quoted ? event.valueStart - 1 : event.valueStart;
        parent.children.push({ start, kind: 'scalar', text: getScalarValue(source, event), children: [] });
        break;
      }
      case EVENT_ALIAS:
        parent.children.push({ start: Math.max(0, event.anchorStart - 1), kind: 'alias', children: [] });
        break;
      case EVENT_POP:
        if (stack.length > 1) stack.pop();
        break;
      default:
        break; // a document start: its content lands in root
    }
  }
  return root.children[0] ?? root;
}

/** Walks the tree along the pointer; stops at the deepest node that exists (a missing key points at its mapping). */
function findNode(root: TreeNode, path: readonly string[]): { node: TreeNode; key?: TreeNode } | undefined {
  let node = root;
  let key: TreeNode | undefined;
  for (const segment of path) {
    if (node.kind === 'mapping') {
      let next: TreeNode | undefined;
      for (let i = 0; i + 1 < node.children.length; i += 2) {
        const k = node.children[i] as TreeNode;
        if (k.text === segment) {
          key = k;
          next = node.children[i + 1];
          break;
        }
      }
      if (!next) break;
      node = next;
    } else if (node.kind === 'sequence') {
      const next = node.children[Number(segment)];
      if (!/^\d+$/.test(segment) || next === undefined) break;
      key = undefined;
      node = next;
    } else {
      break;
    }
  }
  return { node, ...(key ? { key } : {}) };
}

/**
 * YAML text -> data, with js-yaml's event stream (which carries source offsets). YAML 1.2 core schema on purpose:
 * `on`, `no`, `yes` stay strings, `1:30` is not a number (no YAML 1.1 surprises); validation explains the few places
 * where a 1.1 reading was probably meant.
 *
 * The events are dropped as soon as the data is built: they take several times the memory of the data, for the
 * whole run, and only a message needs them; the first message that needs a position reads the text again.
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
import { LEAF, SyntaxProblem, type ParsedText, type TreeNode } from './source-tree.js';

const MAX_ALIASES = 100; // a "billion laughs" document stops here instead of exhausting memory
const MAX_DEPTH = 64;

type Event = ReturnType<typeof parseEvents>[number];

export function readYaml(text: string, file: string): ParsedText {
  return { data: parseDocument(text, file), tree: () => buildTree(parseEvents(text, { filename: file, maxDepth: MAX_DEPTH }), text) };
}

/** The one document's data; the events die with this function's frame. */
function parseDocument(text: string, file: string): unknown {
  let events: Event[];
  let documents: unknown[];
  try {
    events = parseEvents(text, { filename: file, maxDepth: MAX_DEPTH });
    documents = constructFromEvents(events, { source: text, filename: file, schema: CORE_SCHEMA, maxAliases: MAX_ALIASES });
  } catch (error) {
    throw yamlProblem(error);
  }
  if (documents.length > 1) {
    const second = events.findIndex((e, i) => i > 0 && e.type === EVENT_DOCUMENT);
    throw new SyntaxProblem('the spec holds several YAML documents (---); keep one', firstOffset(events.slice(second)));
  }
  return documents[0];
}

function firstOffset(events: readonly Event[]): number | undefined {
  for (const e of events) {
    if (e.type === EVENT_MAPPING || e.type === EVENT_SEQUENCE) return e.start;
    if (e.type === EVENT_SCALAR && e.valueStart >= 0) return e.valueStart;
  }
  return undefined;
}

/** js-yaml's exceptions, made to say what to do, at the place the parser stopped. */
function yamlProblem(error: unknown): SyntaxProblem {
  const e = error as { reason?: string; message?: string; mark?: { line?: number; column?: number; position?: number } };
  const reason = e.reason ?? (e.message ?? String(error)).split('\n')[0] ?? 'invalid YAML';
  const mark = e.mark;
  let message = `invalid YAML: ${reason}`;
  if (reason.startsWith('duplicated mapping key')) message = 'this key appears twice in the same mapping; keep one of them';
  else if (reason.includes('tab characters')) message = 'a tab is used for indentation; YAML needs spaces';
  else if (/unknown .*tag/.test(reason)) message = `invalid YAML: ${reason}; remove the !tag`;
  else if (reason.includes('maxAliases')) message = `more than ${MAX_ALIASES} aliases (*name); spell the values out, or use defaults:`;
  else if (reason.includes('bad indentation')) message = `invalid YAML: ${reason}; check the indentation of this line`;
  const lineColumn = mark?.line !== undefined && mark.column !== undefined ? { line: mark.line + 1, column: mark.column + 1 } : undefined;
  return new SyntaxProblem(message, mark?.position, lineColumn);
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
        // only keys are compared with a pointer: a value's text is not needed
        const isKey = parent.kind === 'mapping' && parent.children.length % 2 === 0;
        parent.children.push(isKey ? { start, kind: 'scalar', text: getScalarValue(source, event), children: LEAF } : { start, kind: 'scalar', children: LEAF });
        break;
      }
      case EVENT_ALIAS:
        parent.children.push({ start: Math.max(0, event.anchorStart - 1), kind: 'alias', children: LEAF });
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

/**
 * One change to a spec file's text (`pvpn-gen set` and `unset`): pure, text in and text out, keeping every comment,
 * blank line, quote style and indentation the change does not touch.
 *
 * - YAML: a scalar replaced by a scalar is edited in the concrete syntax tree (yaml's CST.setScalarValue), so the
 *   rest of the file is byte for byte what it was. Anything else (a new key, a removed key, a list) goes through
 *   yaml's Document, which keeps comments and styles and re-prints the file.
 * - JSON: the change is spliced into the text at the node's offsets, the rest untouched.
 * Either way the result is parsed again and must hold exactly the data asked for (editedData), or nothing is
 * returned: an edit never changes anything but its key.
 *
 * The `yaml` library is loaded by the set and unset bundles only: no other command pays for it.
 */
import { isDeepStrictEqual } from 'node:util';
import { diffArrays } from 'diff';
import { Composer, CST, type Document, isMap, isScalar, isSeq, parse, Parser, type Node as YamlNode, type Pair, type Scalar, type YAMLMap } from 'yaml';
import type { SpecFormat } from './source.js';

export interface SpecEdit {
  /** the path inside the spec, e.g. ['services', 'job', 'interval'] */
  readonly path: readonly string[];
  /** the new value; undefined removes the key */
  readonly value?: unknown;
}

export interface EditResult {
  readonly text: string;
  /** the value before (undefined: there was none) */
  readonly previous: unknown;
}

/** The top-level keys of a spec; any other first word of a key is a service name. */
const TOP_LEVEL = ['version', 'project', 'defaults', 'services', '$schema'];

/** `job.interval` -> ['services', 'job', 'interval']; `defaults.user` and `services.job.user` stay as they are. */
export function keyPath(key: string): string[] {
  const parts = key.split('.');
  if (parts.some((p) => p === '')) throw new Error(`'${key}' is not a key: use SERVICE.FIELD, e.g. protonvpn-updater.interval`);
  return TOP_LEVEL.includes(parts[0] as string) ? parts : ['services', ...parts];
}

/** VALUE as YAML reads it (2h: a string, 5: a number, [a, b]: a list); text YAML cannot read is taken as a string. */
export function parseValue(text: string): unknown {
  try {
    const value: unknown = parse(text);
    return value === null || value === undefined ? text : value;
  } catch {
    return text;
  }
}

/** The data of `text` with EDIT applied, as it must read after the edit. */
function editedData(data: unknown, path: readonly string[], value: unknown): unknown {
  const [head, ...rest] = path as [string, ...string[]];
  const object = data !== null && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>) : {};
  if (rest.length === 0) {
    const { [head]: _, ...others } = object;
    return value === undefined ? others : { ...object, [head]: value };
  }
  if (value === undefined && !(head in object)) return object;
  return { ...object, [head]: editedData(object[head], rest, value) };
}

function valueAt(data: unknown, path: readonly string[]): unknown {
  let at = data;
  for (const key of path) at = at !== null && typeof at === 'object' && !Array.isArray(at) ? (at as Record<string, unknown>)[key] : undefined;
  return at;
}

/**
 * TEXT with EDIT applied at basePath + edit.path. Throws an Error whose message says why when the text does not
 * parse, when a key on the way is not a mapping, or when the edit cannot be made without changing anything else.
 */
export function editSpecText(text: string, format: SpecFormat, basePath: readonly string[], edit: SpecEdit): EditResult {
  const path = [...basePath, ...edit.path];
  const before: unknown = format === 'json' ? JSON.parse(text) : parse(text);
  const previous = valueAt(before, path);
  const expected = editedData(before, path, edit.value);
  if (isDeepStrictEqual(before, expected)) return { text, previous };
  // the most faithful edit first; each must read back as exactly the data asked for
  const candidates = format === 'json' ? [() => [editJson(text, path, edit.value)]] : [() => [editYamlScalar(text, path, edit.value)], () => editYamlDocument(text, path, edit.value)];
  for (const edited of candidates.flatMap((candidate) => candidate())) {
    if (edited === undefined) continue;
    const after: unknown = format === 'json' ? JSON.parse(edited) : parse(edited);
    if (isDeepStrictEqual(after, expected)) return { text: edited, previous };
  }
  throw new Error(`cannot change ${edit.path.join('.')} in this file without changing more than that key; edit it by hand`);
}

function composed(text: string): { tokens: CST.Token[]; doc: Document.Parsed } {
  const tokens = [...new Parser().parse(text)];
  const docs = [...new Composer({ keepSourceTokens: true }).compose(tokens)];
  const doc = docs[0];
  if (!doc || docs.length > 1) throw new Error('the spec file must hold exactly one YAML document');
  if (doc.errors.length > 0) throw new Error(`the spec file does not parse: ${doc.errors[0]?.message}; fix that first`);
  return { tokens, doc };
}

const isPlainValue = (value: unknown) => typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';

/** A scalar replaced by a scalar, in place: the only bytes that change are the value's. */
function editYamlScalar(text: string, path: readonly string[], value: unknown): string | undefined {
  if (!isPlainValue(value)) return undefined;
  const old = composed(text).doc.getIn(path, true);
  if (!isScalar(old)) return undefined;
  // a string keeps the file's quote style; one that would read as something else unquoted (true, 5, a: b) is quoted
  const kept = typeof value === 'string' && old.type !== undefined && old.type !== 'PLAIN' ? [old.type] : [];
  const styles = typeof value === 'string' ? [...kept, 'PLAIN', 'QUOTE_DOUBLE'] : ['PLAIN'];
  for (const type of styles) {
    const { tokens, doc } = composed(text);
    const node = doc.getIn(path, true);
    if (!isScalar(node) || !node.srcToken || !CST.isScalar(node.srcToken)) return undefined;
    CST.setScalarValue(node.srcToken, String(value), { type: type as Scalar.Type });
    const edited = tokens.map((t) => CST.stringify(t)).join('');
    if (isDeepStrictEqual(valueAt(parse(edited), path), value)) return edited;
  }
  return undefined;
}

/** Everything else YAML: through the Document, which keeps comments and each collection's style. */
function editYamlDocument(text: string, path: readonly string[], value: unknown): string[] {
  const { doc } = composed(text);
  if (value === undefined) {
    doc.deleteIn(path);
  } else {
    const old = doc.getIn(path, true) as YamlNode | undefined;
    // a list given on the command line reads as one in the file ([a, b]) unless the old value was a block list
    const flow = old && (isSeq(old) || isMap(old)) ? Boolean(old.flow) : Array.isArray(value);
    doc.setIn(path, doc.createNode(value, { flow }));
  }
  // yaml prints every flow collection one way ({ a } or {a}); the file may mix them: print the way most of its
  // collections are, and keep each line the edit did not change as it was
  const padded = (text.match(/[[{] /g) ?? []).length >= (text.match(/[[{][^\s\]}]/g) ?? []).length;
  const printed = doc.toString({ lineWidth: 0, flowCollectionPadding: padded });
  return [keepUnchangedLines(text, printed), printed];
}

/** What yaml's printer may change in a line it re-prints without changing what it says: spacing. */
const normalised = (line: string) =>
  line
    .replace(/([[{]) +/g, '$1')
    .replace(/ +([\]},])/g, '$1')
    .replace(/\s+/g, ' ')
    .trimEnd();

/**
 * EDITED, with ORIGINAL's own spelling of every line the edit did not change: lines that differ only in spacing
 * (yaml aligns no comments and pads all flow collections alike) are the old ones, and blank and comment lines
 * the printer dropped come back. What it reads as is checked afterwards (editSpecText).
 */
function keepUnchangedLines(original: string, edited: string): string {
  const parts = diffArrays(original.split('\n'), edited.split('\n'), { comparator: (a, b) => normalised(a) === normalised(b) });
  const lines: string[] = [];
  let at = 0; // index into the original's lines
  for (const part of parts) {
    if (part.added) {
      lines.push(...part.value);
      continue;
    }
    const old = original.split('\n').slice(at, at + part.count);
    at += part.count;
    lines.push(...(part.removed ? old.filter((line) => /^\s*(#.*)?$/.test(line)) : old));
  }
  return lines.join('\n');
}

/** JSON: the change spliced in at the offsets of the nodes, in the file's own indentation. */
function editJson(text: string, path: readonly string[], value: unknown): string | undefined {
  const { doc } = composed(text);
  const splice = (start: number, end: number, insert: string) => text.slice(0, start) + insert + text.slice(end);
  // the deepest existing mapping on the path, and what is missing below it
  let map = doc.contents as YamlNode | null;
  let depth = 0;
  for (; depth < path.length - 1; depth++) {
    const next = isMap(map) ? (map.get(path[depth], true) as YamlNode | undefined) : undefined;
    if (!isMap(next)) break;
    map = next;
  }
  if (!isMap(map) || !map.range) return undefined;
  const items = (map as YAMLMap<YamlNode, YamlNode>).items as Pair<YamlNode, YamlNode>[];
  const index = items.findIndex((pair) => isScalar(pair.key) && pair.key.value === path[depth]);
  const pair = items[index];
  if (value === undefined) {
    if (!pair || depth < path.length - 1) return text;
    const keyStart = pair.key?.range?.[0] as number;
    const valueEnd = pair.value?.range?.[1] as number;
    const before = items[index - 1]?.value?.range?.[1];
    const after = items[index + 1]?.key?.range?.[0];
    if (before !== undefined) return splice(before, valueEnd, '');
    if (after !== undefined) return splice(keyStart, after, '');
    return splice(map.range[0] + 1, map.range[1] - 1, '');
  }
  if (pair && depth === path.length - 1 && pair.value?.range) return splice(pair.value.range[0], pair.value.range[1], JSON.stringify(value));
  if (pair) return undefined; // a key on the way holds something else than an object
  // the missing key, holding the rest of the path as nested objects
  const inner = path.slice(depth + 1).reduceRight<unknown>((v, key) => ({ [key]: v }), value);
  const entry = `${JSON.stringify(path[depth])}: ${JSON.stringify(inner)}`;
  const last = items[items.length - 1];
  if (!last?.value?.range || !last.key?.range) return splice(map.range[0], map.range[1], `{ ${entry} }`);
  const keyStart = last.key.range[0];
  const lineStart = text.lastIndexOf('\n', keyStart) + 1;
  const indent = text.slice(lineStart, keyStart);
  return splice(last.value.range[1], last.value.range[1], /^\s*$/.test(indent) && lineStart > map.range[0] ? `,\n${indent}${entry}` : `, ${entry}`);
}

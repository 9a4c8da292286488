/**
 * JSON text -> data. A `.json` spec (and package.json) is JSON: a trailing comma, a comment or a single-quoted
 * string is an error there, as in every other JSON tool, even though a YAML parser would accept them.
 *
 * JSON.parse builds the data (native: fast, and nothing kept beside the data). Its errors name no line and are
 * worded differently by each Node version, and it keeps the last of two equal keys without a word, so a small
 * strict scanner (RFC 8259) reads the text first: it says where the text stops being JSON, and what to write
 * instead, and refuses a key given twice (a service defined twice is a mistake, as in YAML). The same scanner
 * builds the offsets tree when a message needs a position.
 */
import { LEAF, SyntaxProblem, type ParsedText, type TreeNode } from './source-tree.js';

const MAX_DEPTH = 64;

export function readJson(text: string): ParsedText {
  const bom = text.charCodeAt(0) === 0xfeff ? 1 : 0; // RFC 8259 section 8.1: a parser may ignore one
  if (/^[ \t\n\r]*$/.test(text.slice(bom))) return { data: undefined, tree: () => ({ start: 0, kind: 'scalar', children: [] }) };
  new Scanner(text, bom, false).document();
  return { data: JSON.parse(bom ? text.slice(bom) : text) as unknown, tree: () => new Scanner(text, bom, true).document() };
}

const enum Char {
  Tab = 0x09,
  LineFeed = 0x0a,
  CarriageReturn = 0x0d,
  Space = 0x20,
  Quote = 0x22,
  Apostrophe = 0x27,
  Comma = 0x2c,
  Minus = 0x2d,
  Dot = 0x2e,
  Zero = 0x30,
  Nine = 0x39,
  Colon = 0x3a,
  OpenBracket = 0x5b,
  Backslash = 0x5c,
  CloseBracket = 0x5d,
  OpenBrace = 0x7b,
  CloseBrace = 0x7d,
}

const ESCAPES = new Set('"\\/bfnrtu');
const UNBUILT: TreeNode = { start: -1, kind: 'scalar', children: LEAF }; // what a check-only pass returns

/**
 * One pass over the text. `build` false: checks only (the first problem is thrown as a SyntaxProblem);
 * `build` true: returns the tree (the text has been checked before).
 */
class Scanner {
  private at: number;

  constructor(
    private readonly text: string,
    start: number,
    private readonly build: boolean,
  ) {
    this.at = start;
  }

  document(): TreeNode {
    this.space();
    const root = this.value(0);
    this.space();
    if (this.at < this.text.length) {
      const c = this.text.charCodeAt(this.at);
      if (this.text.startsWith('//', this.at) || this.text.startsWith('/*', this.at)) throw this.fail(COMMENT);
      if (c === Char.CloseBrace || c === Char.CloseBracket) throw this.fail(`invalid JSON: one ${String.fromCharCode(c)} too many: the document ended before it`);
      throw this.fail('invalid JSON: more text after the end of the document; a JSON file holds one value');
    }
    return root;
  }

  private value(depth: number): TreeNode {
    const start = this.at;
    const c = this.text.charCodeAt(start);
    if (c === Char.OpenBrace) return this.object(depth + 1);
    if (c === Char.OpenBracket) return this.array(depth + 1);
    if (c === Char.Quote) this.string(false);
    else if (c === Char.Minus || (c >= Char.Zero && c <= Char.Nine)) this.number();
    else this.word();
    return this.build ? { start, kind: 'scalar', children: LEAF } : UNBUILT;
  }

  private object(depth: number): TreeNode {
    const node: TreeNode = this.build ? { start: this.at, kind: 'mapping', children: [] } : UNBUILT;
    if (depth > MAX_DEPTH) throw this.fail(`nested more than ${MAX_DEPTH} levels deep`);
    const seen = this.build ? undefined : new Set<string>();
    this.at++;
    this.space();
    if (this.text.charCodeAt(this.at) === Char.CloseBrace) {
      this.at++;
      return node;
    }
    for (;;) {
      const keyStart = this.at;
      const key = this.key();
      if (seen) {
        if (seen.has(key)) {
          this.at = keyStart;
          throw this.fail('this key appears twice in the same mapping; keep one of them');
        }
        seen.add(key);
      }
      this.space();
      if (this.text.charCodeAt(this.at) !== Char.Colon) throw this.fail(`invalid JSON: expected ":" after the key ${JSON.stringify(key)}`);
      this.at++;
      this.space();
      this.expectValue('}');
      const value = this.value(depth);
      if (this.build) node.children.push({ start: keyStart, kind: 'scalar', text: key, children: LEAF }, value);
      if (this.next(Char.CloseBrace, '}', 'key')) return node;
    }
  }

  private array(depth: number): TreeNode {
    const node: TreeNode = this.build ? { start: this.at, kind: 'sequence', children: [] } : UNBUILT;
    if (depth > MAX_DEPTH) throw this.fail(`nested more than ${MAX_DEPTH} levels deep`);
    this.at++;
    this.space();
    if (this.text.charCodeAt(this.at) === Char.CloseBracket) {
      this.at++;
      return node;
    }
    for (;;) {
      this.expectValue(']');
      const value = this.value(depth);
      if (this.build) node.children.push(value);
      if (this.next(Char.CloseBracket, ']', 'value')) return node;
    }
  }

  /** After a member: the closing bracket (true: the mapping or list is complete) or a comma (false: more follow). */
  private next(close: number, closeText: string, member: 'key' | 'value'): boolean {
    this.space();
    const c = this.text.charCodeAt(this.at);
    if (c === close) {
      this.at++;
      return true;
    }
    if (c === Char.Comma) {
      const comma = this.at;
      this.at++;
      this.space();
      if (this.text.charCodeAt(this.at) === close) {
        this.at = comma;
        throw this.fail(`invalid JSON: a comma before ${closeText}; JSON allows no trailing comma, remove it`);
      }
      return false;
    }
    if (this.at >= this.text.length) throw this.fail(`invalid JSON: the file ends before the closing ${closeText}`);
    const opens = member === 'key' ? 'a mapping ({)' : 'a list ([)';
    if (c === Char.CloseBrace || c === Char.CloseBracket) throw this.fail(`invalid JSON: ${String.fromCharCode(c)} here, but ${opens} is open; close it with ${closeText}`);
    if (this.text.startsWith('//', this.at) || this.text.startsWith('/*', this.at)) throw this.fail(COMMENT);
    throw this.fail(`invalid JSON: a comma is missing before this ${member} (or a ${closeText} before it)`);
  }

  /** Where a value must start: the errors a person makes there, said in their words. */
  private expectValue(close: string): void {
    const c = this.text.charCodeAt(this.at);
    if (this.at >= this.text.length) throw this.fail(`invalid JSON: the file ends before the closing ${close}`);
    if (c === Char.CloseBrace || c === Char.CloseBracket || c === Char.Comma) throw this.fail(`invalid JSON: a value is missing before this ${String.fromCharCode(c)}`);
  }

  private key(): string {
    if (this.text.charCodeAt(this.at) !== Char.Quote) throw this.fail(this.unexpected('key'));
    return this.string(true);
  }

  /** A double-quoted string; returns its value when asked (keys are compared by value). */
  private string(keep: true): string;
  private string(keep: false): undefined;
  private string(keep: boolean): string | undefined {
    const start = this.at;
    let escaped = false;
    for (let i = start + 1; i < this.text.length; i++) {
      const c = this.text.charCodeAt(i);
      if (c === Char.Quote) {
        this.at = i + 1;
        if (!keep) return undefined;
        return escaped ? (JSON.parse(this.text.slice(start, i + 1)) as string) : this.text.slice(start + 1, i);
      }
      if (c === Char.Backslash) {
        escaped = true;
        const e = this.text[i + 1] ?? '';
        if (!ESCAPES.has(e)) {
          this.at = i;
          throw this.fail(`invalid JSON: \\${e} is not an escape JSON knows; write \\\\ for a backslash`);
        }
        if (e === 'u' && !/^[0-9a-fA-F]{4}$/.test(this.text.slice(i + 2, i + 6))) {
          this.at = i;
          throw this.fail('invalid JSON: \\u needs four hexadecimal digits');
        }
        i++;
      } else if (c < Char.Space) {
        this.at = i;
        const what = c === Char.LineFeed || c === Char.CarriageReturn ? 'a line break' : c === Char.Tab ? 'a tab' : 'a control character';
        const fix = c === Char.LineFeed ? '\\n' : c === Char.CarriageReturn ? '\\r' : c === Char.Tab ? '\\t' : `\\u${c.toString(16).padStart(4, '0')}`;
        throw this.fail(`invalid JSON: ${what} inside a string (or the string is not closed); write ${fix}`);
      }
    }
    this.at = start;
    throw this.fail('invalid JSON: this string is not closed (")');
  }

  private number(): void {
    const match = /-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?/y;
    match.lastIndex = this.at;
    const found = match.exec(this.text);
    const end = found ? this.at + found[0].length : this.at;
    const after = this.text.charCodeAt(end);
    if (!found || (after >= Char.Zero && after <= Char.Nine) || after === Char.Dot || /[A-Za-z_]/.test(this.text[end] ?? '')) {
      const word = /[-+.\w:]*/y;
      word.lastIndex = this.at;
      const written = word.exec(this.text)?.[0] ?? '';
      const hint = /^-?0[0-9]/.test(written) ? ' (no leading zeros)' : /\.$|\.[eE]/.test(written) ? ' (a digit must follow the point)' : '';
      throw this.fail(`invalid JSON: ${written} is not a JSON number${hint}; write a number like 17 or 1.5, or a string in double quotes`);
    }
    this.at = end;
  }

  /** true, false, null; anything else where a value belongs gets a message for what it probably is. */
  private word(): void {
    const word = this.peekWord();
    if (word === 'true' || word === 'false' || word === 'null') {
      this.at += word.length;
      return;
    }
    throw this.fail(this.unexpected('value'));
  }

  /** What is wrong where a key or a value should start. */
  private unexpected(what: 'key' | 'value'): string {
    if (this.at >= this.text.length) return `invalid JSON: the file ends where a ${what} should be`;
    if (this.text.startsWith('//', this.at) || this.text.startsWith('/*', this.at)) return COMMENT;
    if (this.text.charCodeAt(this.at) === Char.Apostrophe) return SINGLE_QUOTES;
    const bare = /[^\s,:[\]{}"]{1,40}/y;
    bare.lastIndex = this.at;
    const word = bare.exec(this.text)?.[0];
    if (word === undefined) return `invalid JSON: expected a ${what}, found ${shown(this.text, this.at)}`;
    if (what === 'value' && /^(true|false|null|nan|infinity|undefined)$/i.test(word)) {
      return `invalid JSON: ${word} is not a JSON value; JSON has true, false and null (lower case), and no NaN or Infinity`;
    }
    return `invalid JSON: ${what === 'key' ? 'a key' : 'a string'} needs double quotes: "${word}"`;
  }

  private peekWord(): string {
    const word = /[A-Za-z_$][\w$.:/-]*/y;
    word.lastIndex = this.at;
    return word.exec(this.text)?.[0] ?? '';
  }

  /** JSON's whitespace: space, tab, line feed, carriage return (no comments, no other spaces). */
  private space(): void {
    for (;;) {
      const c = this.text.charCodeAt(this.at);
      if (c !== Char.Space && c !== Char.LineFeed && c !== Char.CarriageReturn && c !== Char.Tab) return;
      this.at++;
    }
  }

  private fail(message: string): SyntaxProblem {
    return new SyntaxProblem(message, this.at);
  }
}

const SINGLE_QUOTES = "invalid JSON: strings need double quotes (\"), not single quotes (')";
const COMMENT = 'invalid JSON: JSON has no comments; remove it (a YAML spec can have comments)';

function shown(text: string, at: number): string {
  const c = text.codePointAt(at);
  if (c === undefined) return 'the end of the file';
  if (c < 0x20 || c === 0x7f || c === 0xa0 || c === 0xfeff || (c >= 0x2000 && c <= 0x200f)) return `the character U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
  return `"${String.fromCodePoint(c)}"`;
}

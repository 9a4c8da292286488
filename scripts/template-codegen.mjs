// Build-time compiler of the built-in Handlebars templates into plain JavaScript functions.
//
// Why: the Handlebars runtime runs a precompiled template through generic machinery (a helper lookup, an options
// object and a property-access check per value, a wrapper per program) that, on the cold start of a CLI where
// everything runs in V8's interpreter, cost more than the whole rest of `render` (~1.5 ms of ~10 ms over bare node).
// The templates stay Handlebars: this file reads them with Handlebars' own parser (which also applies its
// whitespace control, the standalone-line rules), and emits code with the same semantics for the subset our
// templates use. Anything outside that subset fails the build, so nothing is silently rendered differently; a test
// renders every fixture both ways (this code and the real Handlebars compiler) and compares bytes. User template
// overrides never come here: they are compiled at run time by Handlebars itself.
//
// The subset, with Handlebars 4's semantics (options strict, noEscape, knownHelpersOnly, preventIndent):
//  - content; comments; {{helper arg...}} of known helpers, args being paths, literals or (helper ...) calls;
//  - {{#if x}}/{{#unless x}} with {{else}} (and else-if chains), {{#each xs}} with {{else}} over arrays or objects;
//  - paths `name`, `a.b`, `this`, `../name` (own properties only, as Handlebars' lookupProperty);
//  - partials {{> name}} with the current context (preventIndent: a standalone partial is not re-indented).
import Handlebars from 'handlebars';

/** @param {unknown} node */
function unsupported(node, what) {
  const loc = /** @type {{loc?: {start?: {line: number, column: number}}}} */ (node).loc?.start;
  return new Error(`template codegen: ${what} is not supported${loc ? ` (line ${loc.line}, column ${loc.column + 1})` : ''}; use the subset in scripts/template-codegen.mjs or extend it`);
}

/**
 * One template's source -> the body of `function (c, h, p, d)`: c the context, h the helpers, p the partials,
 * d the depths (d[0] the current context, d[1] its parent, as Handlebars keeps them).
 */
function compileTemplate(source, options, knownHelpers) {
  const ast = Handlebars.parse(source, options);
  let counter = 0;
  const fresh = (prefix) => `${prefix}${++counter}`;

  /** An expression for a parameter (path, literal or sub-expression) in context variable `c`, depths `d`. */
  function param(node, c, d) {
    switch (node.type) {
      case 'PathExpression': {
        if (node.data) throw unsupported(node, `@data variable @${node.parts.join('.')}`);
        let base = node.depth === 0 ? c : `${d}[${node.depth}]`;
        for (const part of node.parts) base = `L(${base}, ${JSON.stringify(part)})`;
        return base;
      }
      case 'StringLiteral':
        return JSON.stringify(node.value);
      case 'NumberLiteral':
      case 'BooleanLiteral':
        return String(node.value);
      case 'UndefinedLiteral':
        return 'undefined';
      case 'NullLiteral':
        return 'null';
      case 'SubExpression':
        return helperCall(node, c, d);
      default:
        throw unsupported(node, `a ${node.type} parameter`);
    }
  }

  function helperCall(node, c, d) {
    const name = node.path.type === 'PathExpression' && node.path.parts.length === 1 && node.path.depth === 0 ? node.path.parts[0] : undefined;
    if (!name || !knownHelpers[name]) throw unsupported(node, `{{${node.path.original}}} (not one of the known helpers)`);
    if (node.hash) throw unsupported(node, 'a hash argument (name=value)');
    return `h[${JSON.stringify(name)}](${node.params.map((p) => param(p, c, d)).join(', ')})`;
  }

  /** Statements appending a program's output to `o`. */
  function program(prog, c, d) {
    return prog.body.map((node) => statement(node, c, d)).join('');
  }

  function statement(node, c, d) {
    switch (node.type) {
      case 'ContentStatement':
        return node.value ? `o += ${JSON.stringify(node.value)};\n` : '';
      case 'CommentStatement':
        return '';
      case 'MustacheStatement':
        if (node.params.length === 0) throw unsupported(node, `{{${node.path.original}}} without a helper (values go through an escaping helper)`);
        // Handlebars appends a helper's result unless it is null or undefined
        return `o += S(${helperCall(node, c, d)});\n`;
      case 'BlockStatement':
        return block(node, c, d);
      case 'PartialStatement': {
        if (node.name.type !== 'PathExpression' || node.params.length > 0 || node.hash) throw unsupported(node, 'a partial with a context or hash');
        return `o += p[${JSON.stringify(node.name.original)}](${c}, h, p, ${d});\n`;
      }
      default:
        throw unsupported(node, `a ${node.type}`);
    }
  }

  function block(node, c, d) {
    const name = node.path.original;
    if (node.hash) throw unsupported(node, 'a hash argument (name=value)');
    if (node.program?.blockParams?.length) throw unsupported(node, 'block parameters (as |x|)');
    const inverse = node.inverse ? program(node.inverse, c, d) : '';
    if (name === 'if' || name === 'unless') {
      if (node.params.length !== 1) throw unsupported(node, `#${name} without exactly one argument`);
      const test = `T(${param(node.params[0], c, d)})`;
      const [yes, no] = name === 'if' ? [node.program ? program(node.program, c, d) : '', inverse] : [inverse, node.program ? program(node.program, c, d) : ''];
      return `if (${test}) {\n${yes}}${no ? ` else {\n${no}}` : ''}\n`;
    }
    if (name === 'each') {
      if (node.params.length !== 1) throw unsupported(node, '#each without exactly one argument');
      const items = fresh('items');
      const item = fresh('c');
      const depths = fresh('d');
      const body = node.program ? program(node.program, item, depths) : '';
      // Handlebars pushes a new depth only when the block's context differs from the current one
      return (
        `const ${items} = E(${param(node.params[0], c, d)});\n` +
        `for (const ${item} of ${items}) {\nconst ${depths} = ${item} !== ${d}[0] ? [${item}, ...${d}] : ${d};\n${body}}\n` +
        (inverse ? `if (${items}.length === 0) {\n${inverse}}\n` : '')
      );
    }
    throw unsupported(node, `the block helper #${name}`);
  }

  return `let o = "";\n${program(ast, 'c', 'd')}return o;`;
}

/** compileTemplate, with the template's file in its errors */
function compileNamed(template, options, knownHelpers) {
  try {
    return compileTemplate(template.source, options, knownHelpers);
  } catch (error) {
    throw new Error(`templates/${template.name.replace(/(^|\/)(?=[^/]+$)/, template.partial ? '$1_' : '$1')}.hbs: ${error.message}`);
  }
}

/**
 * All templates -> the source of an ES module exporting `compiledTemplates` and `compiledPartials` (name ->
 * function (context, helpers, partials, depths)) and the runtime pieces they call.
 * @param {{name: string, partial: boolean, source: string}[]} templates
 */
export function compileTemplatesModule(templates, options) {
  const knownHelpers = options.knownHelpers ?? {};
  const table = (partial) =>
    templates
      .filter((t) => t.partial === partial)
      .map((t) => `  ${JSON.stringify(t.name)}: function (c, h, p, d) {\n${compileNamed(t, options, knownHelpers)}\n},`)
      .join('\n');
  return `// The runtime the compiled templates call (Handlebars 4 semantics, see scripts/template-codegen.mjs)
const own = Object.prototype.hasOwnProperty;
/** a path step: own properties only, as Handlebars' lookupProperty */
const L = (value, key) => (value != null && own.call(value, key) ? value[key] : undefined);
/** views hold data, not functions (Handlebars would call them): say so instead of guessing */
const F = (value) => {
  if (typeof value === "function") throw new TypeError("template value is a function; views hold data only");
  return value;
};
/** #if: false for falsy values and empty arrays */
const T = (value) => (Array.isArray(F(value)) ? value.length > 0 : !!value);
/** what #each walks: an array's items, an iterable's values, an object's values, else nothing */
const E = (value) =>
  Array.isArray(F(value)) ? value : value !== null && typeof value === "object" ? (typeof value[Symbol.iterator] === "function" ? [...value] : Object.keys(value).map((k) => value[k])) : [];
/** what a mustache appends */
const S = (value) => (value == null ? "" : String(value));
export const compiledTemplates = {
${table(false)}
};
export const compiledPartials = {
${table(true)}
};
`;
}

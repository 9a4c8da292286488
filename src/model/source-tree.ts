/**
 * What the YAML and JSON readers share: the shape of a document with source offsets (built only when a message
 * needs a position), the walk from a JSON pointer to a node, and the error a reader throws for bad syntax.
 */

export interface TreeNode {
  /** offset of the node's first character in the text; -1 when unknown */
  readonly start: number;
  readonly kind: 'mapping' | 'sequence' | 'scalar' | 'alias';
  /** scalar text (for mapping keys) */
  readonly text?: string;
  /** a mapping's children alternate key, value; a sequence's are its items */
  readonly children: TreeNode[];
}

/** The children of every scalar and alias: one shared, frozen empty list (a tree has a node per scalar). */
export const LEAF = Object.freeze([]) as unknown as TreeNode[];

/** A reader's result: the data at once, the offsets tree on demand (by reading the text again). */
export interface ParsedText {
  readonly data: unknown;
  readonly tree: () => TreeNode;
}

/** Bad syntax, at an offset of the text (or at the line and column the parser reported). */
export class SyntaxProblem extends Error {
  constructor(
    message: string,
    readonly offset: number | undefined,
    readonly lineColumn?: { readonly line: number; readonly column: number },
  ) {
    super(message);
  }
}

/** Walks the tree along the path; stops at the deepest node that exists (a missing key points at its mapping). */
export function findNode(root: TreeNode, path: readonly string[]): { node: TreeNode; key?: TreeNode } {
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

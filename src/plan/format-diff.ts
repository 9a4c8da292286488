/**
 * A plan as a unified diff, git-style: `new file mode`, `deleted file mode`, `old mode`/`new mode` for mode-only
 * changes, symlinks as mode 120000 with their target as content; then conflicts and actions. Pure text: the CLI
 * adds colour when it writes to a terminal.
 */
import { structuredPatch } from 'diff';
import { describeAction } from './actions.js';
import type { Change, InstalledState, Plan } from './types.js';

const LINK_MODE = '120000';

function gitMode(mode: number): string {
  return `100${(mode & 0o777).toString(8).padStart(3, '0')}`;
}

/** Content and git mode of one side of a change, as git shows it. */
function side(state: InstalledState | { kind: 'file'; content: string; mode: number } | { kind: 'symlink'; target: string }): { text: string; mode: string } {
  if (state.kind === 'file') return { text: state.content, mode: gitMode(state.mode) };
  if (state.kind === 'symlink') return { text: state.target, mode: LINK_MODE };
  return { text: '', mode: '' };
}

/** A whole file added or removed: one hunk of every line, without running the diff algorithm (the common case). */
function wholeFile(text: string, sign: '+' | '-'): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  const complete = lines.at(-1) === '';
  if (complete) lines.pop();
  const count = lines.length;
  const range = count === 1 ? '1' : `1,${count}`;
  const header = sign === '+' ? `@@ -0,0 +${range} @@` : `@@ -${range} +0,0 @@`;
  return [header, ...lines.map((l) => sign + l), ...(complete ? [] : ['\\ No newline at end of file'])];
}

function hunks(path: string, before: string, after: string): string[] {
  if (before === '') return wholeFile(after, '+');
  if (after === '') return wholeFile(before, '-');
  const patch = structuredPatch(`a${path}`, `b${path}`, before, after, undefined, undefined, { context: 3 });
  const lines: string[] = [];
  for (const hunk of patch.hunks) {
    // as GNU diff writes it: an empty side starts at the line before (0 for an empty file)
    const range = (start: number, count: number) => (count === 1 ? `${start}` : count === 0 ? `${start - 1},0` : `${start},${count}`);
    lines.push(`@@ -${range(hunk.oldStart, hunk.oldLines)} +${range(hunk.newStart, hunk.newLines)} @@`);
    lines.push(...hunk.lines);
  }
  return lines;
}

function desiredSide(change: Extract<Change, { kind: 'create' | 'update' }>) {
  const e = change.entry;
  return e.kind === 'file' ? side({ kind: 'file', content: e.content, mode: e.mode }) : side({ kind: 'symlink', target: e.target });
}

/** One change as its part of the unified diff (lines; none for unchanged paths and conflicts). */
export function formatChange(change: Change): string[] {
  const { path } = change;
  switch (change.kind) {
    case 'unchanged':
      return [];
    case 'create': {
      const after = desiredSide(change);
      return [`diff --pvpn-gen a${path} b${path}`, `new file mode ${after.mode}`, '--- /dev/null', `+++ b${path}`, ...hunks(path, '', after.text)];
    }
    case 'update': {
      const before = side(change.before);
      const after = desiredSide(change);
      const lines = [`diff --pvpn-gen a${path} b${path}`];
      if (before.mode !== after.mode) lines.push(`old mode ${before.mode}`, `new mode ${after.mode}`);
      if (change.backup) lines.push(`# --force: the current file is kept as a backup`);
      if (before.text !== after.text) lines.push(`--- a${path}`, `+++ b${path}`, ...hunks(path, before.text, after.text));
      return lines;
    }
    case 'remove': {
      if (change.before.kind === 'missing') return [`# ${path}: recorded by pvpn-gen but already gone; it is forgotten`];
      const before = side(change.before);
      const lines = [`diff --pvpn-gen a${path} b${path}`, `deleted file mode ${before.mode}`];
      if (change.backup) lines.push(`# --force: the changed file is kept as a backup`);
      return [...lines, `--- a${path}`, '+++ /dev/null', ...hunks(path, before.text, '')];
    }
    case 'conflict':
      return [];
  }
}

export interface DiffSummary {
  readonly create: number;
  readonly update: number;
  readonly remove: number;
  readonly unchanged: number;
  readonly conflict: number;
}

export function summarise(plan: Plan): DiffSummary {
  const count = (kind: Change['kind']) => plan.changes.filter((c) => c.kind === kind).length;
  return { create: count('create'), update: count('update'), remove: count('remove'), unchanged: count('unchanged'), conflict: count('conflict') };
}

export function formatPlan(plan: Plan, options: { actionsNote?: string } = {}): string {
  const lines = plan.changes.flatMap(formatChange);
  const conflicts = plan.changes.filter((c) => c.kind === 'conflict');
  if (conflicts.length > 0) {
    lines.push('', 'conflicts:');
    for (const c of conflicts) lines.push(`  ${c.path}: ${c.detail}`);
  }
  const actions = [...plan.before, ...plan.after];
  if (actions.length > 0) {
    lines.push('', `actions${options.actionsNote ? ` (${options.actionsNote})` : ''}:`);
    for (const action of actions) lines.push(`  ${describeAction(action)}`);
  }
  const s = summarise(plan);
  lines.push('', `${s.create} to create, ${s.update} to update, ${s.remove} to remove, ${s.unchanged} unchanged${s.conflict ? `, ${s.conflict} in conflict` : ''}`);
  return lines.join('\n') + '\n';
}

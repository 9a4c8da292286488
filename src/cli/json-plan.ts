/** diff --json: the plan as data (json.ts holds the other documents; this one needs the diff library). */
import { describeAction } from '../plan/actions.js';
import { formatChange, summarise } from '../plan/format-diff.js';
import type { Action, Plan } from '../plan/types.js';
import { octal } from './json.js';

function jsonAction(action: Action): Record<string, unknown> {
  return { kind: action.kind, description: describeAction(action), ...(action.kind === 'exec' ? { argv: action.argv } : {}) };
}

export function planDocument(plan: Plan): Record<string, unknown> {
  const changes = plan.changes.flatMap((c) => {
    if (c.kind === 'unchanged' || c.kind === 'conflict') return [];
    const service = c.kind === 'remove' ? c.recorded.service : c.entry.service;
    const mode = (e: { kind: string; mode?: number } | undefined) => (e?.kind === 'file' && e.mode !== undefined ? octal(e.mode) : null);
    const before = c.kind === 'create' ? null : mode(c.before as { kind: string; mode?: number });
    const after = c.kind === 'remove' ? null : mode(c.entry);
    const diff = formatChange(c).join('\n');
    return [{ kind: c.kind, path: c.path, service, modeBefore: before, modeAfter: after, diff: diff === '' ? '' : diff + '\n' }];
  });
  const conflicts = plan.changes.flatMap((c) => (c.kind === 'conflict' ? [{ path: c.path, reason: c.reason, detail: c.detail }] : []));
  return {
    changed: changes.length > 0 || conflicts.length > 0,
    summary: summarise(plan),
    changes,
    conflicts,
    actions: { before: plan.before.map(jsonAction), after: plan.after.map(jsonAction) },
  };
}

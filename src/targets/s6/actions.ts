/**
 * What s6-rc needs around the file changes: bring a removed service's pipeline down first; after the files change,
 * recompile the source trees into a new database and switch to it (S6_RELOAD_SCRIPT: s6-rc-update stops and
 * forgets what is gone and restarts what changed), then bring each new or changed pipeline up. Accounts with
 * useradd/groupadd, as for runit. Pure: actions as data.
 */
import type { DesiredEntry } from '../../render/types.js';
import type { Action, ServiceDelta } from '../target.js';
import { S6_RELOAD_SCRIPT, s6Names } from './facts.js';
import { asS6, type S6Handle } from './handle.js';

const s6rc = (...args: string[]): Action => ({ kind: 'exec', argv: ['s6-rc', ...args] });

/** `s6-rc -u change NAME`: the pipeline's logger, then its job; waits until both are up. */
const up = (s: S6Handle): Action => s6rc('-u', 'change', s6Names(s.name).pipeline);

export function s6Actions(d: ServiceDelta): { before: Action[]; after: Action[] } {
  const before: Action[] = [];
  const after: Action[] = [];
  // the job first, then its logger (s6-rc orders them: the consumer goes down after its producer)
  for (const s of d.removed.map(asS6)) before.push(s6rc('-d', 'change', s6Names(s.name).pipeline));
  if (d.changedPaths.size > 0) after.push({ kind: 'exec', argv: ['sh', '-c', S6_RELOAD_SCRIPT] });
  for (const s of d.added.map(asS6)) after.push(up(s));
  for (const { handle } of d.changed) after.push(up(asS6(handle)));
  return { before, after };
}

/** groupadd, then useradd (a user's own group of the same name comes with it). */
export function s6CreateAccounts(missing: { users: ReadonlyMap<string, string>; groups: readonly string[] }, _desired: readonly DesiredEntry[]): Action[] {
  return [
    ...missing.groups.map((name): Action => ({ kind: 'ensure-group', name })),
    ...[...missing.users].map(([name, home]): Action => ({ kind: 'ensure-user', name, home })),
  ];
}

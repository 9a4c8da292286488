/**
 * What OpenRC needs around the file changes: stop a removed service while its init script is still there; after
 * new scripts, refresh the dependency cache (OpenRC compares mtimes in whole seconds: a script written in the same
 * second as the cache is missed) and start what was added, restart what changed. The enable link in the default
 * runlevel starts it at boot. Accounts with useradd/groupadd. Pure: actions as data.
 */
import type { DesiredEntry } from '../../render/types.js';
import type { Action, ServiceDelta } from '../target.js';
import { asOpenrc } from './handle.js';

const rc = (...argv: string[]): Action => ({ kind: 'exec', argv });

export function openrcActions(d: ServiceDelta): { before: Action[]; after: Action[] } {
  const before: Action[] = [];
  const after: Action[] = [];
  for (const s of d.removed.map(asOpenrc)) before.push(rc('rc-service', s.name, 'stop'));
  const added = d.added.map(asOpenrc);
  const changed = d.changed.map(({ handle }) => asOpenrc(handle));
  if (added.length > 0 || changed.length > 0 || d.removed.length > 0) after.push(rc('rc-update', '-u'));
  for (const s of added) after.push(rc('rc-service', s.name, 'start'));
  for (const s of changed) after.push(rc('rc-service', s.name, 'restart'));
  return { before, after };
}

/** groupadd, then useradd (a user's own group of the same name comes with it). */
export function openrcCreateAccounts(missing: { users: ReadonlyMap<string, string>; groups: readonly string[] }, _desired: readonly DesiredEntry[]): Action[] {
  return [
    ...missing.groups.map((name): Action => ({ kind: 'ensure-group', name })),
    ...[...missing.users].map(([name, home]): Action => ({ kind: 'ensure-user', name, home })),
  ];
}

/**
 * What dinit needs around the file changes (commands measured on dinit 0.22: test/harness/inits-facts.md): a removed
 * service leaves the boot service's dependencies, stops and is unloaded before its files go; a new one is added to
 * `boot` and woken (started as boot's dependency, not explicitly: what `dinitctl enable` does, the link being one
 * of the files), so that stopping boot stops it; a changed one is reloaded, stopped and woken again (`dinitctl
 * restart` refuses a stopped service). Accounts with useradd/groupadd, as on runit. Pure.
 */
import type { Action, Command, ServiceDelta } from '../target.js';
import type { DesiredEntry } from '../../render/types.js';
import { DINIT } from './facts.js';
import { asDinit } from './handle.js';

export const dinitctl = (...args: string[]): Action & Command => ({ kind: 'exec', argv: ['dinitctl', ...args] });

export function dinitActions(d: ServiceDelta): { before: Action[]; after: Action[] } {
  const before: Action[] = [];
  const after: Action[] = [];
  for (const s of d.removed.map(asDinit)) {
    // before the files go (a failure here is a warning: the service may not be loaded at all)
    before.push(dinitctl('rm-dep', 'waits-for', DINIT.bootService, s.name), dinitctl('stop', s.name), dinitctl('unload', s.name));
  }
  for (const s of d.added.map(asDinit)) after.push(dinitctl('add-dep', 'waits-for', DINIT.bootService, s.name), dinitctl('wake', s.name));
  for (const { handle, paths } of d.changed) {
    const s = asDinit(handle);
    if (!paths.has(s.service) && !paths.has(s.run)) continue;
    after.push(dinitctl('reload', s.name), dinitctl('stop', s.name), dinitctl('wake', s.name));
  }
  return { before, after };
}

/** groupadd, then useradd (a user's own group of the same name comes with it): Artix's shadow-utils. */
export function dinitCreateAccounts(missing: { users: ReadonlyMap<string, string>; groups: readonly string[] }, _desired: readonly DesiredEntry[]): Action[] {
  return [
    ...missing.groups.map((name): Action => ({ kind: 'ensure-group', name })),
    ...[...missing.users].map(([name, home]): Action => ({ kind: 'ensure-user', name, home })),
  ];
}

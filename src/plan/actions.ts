/**
 * What to run around the file changes, as data: each target says what its init system needs (stop what is removed,
 * reload, start what is new, restart what changed); the system layer runs these on a live system, and with --root
 * they are only listed. And which accounts to create and remove.
 */
import { OperationError } from '../errors.js';
import type { DesiredEntry, ServiceHandle } from '../render/types.js';
import { targetNamed } from '../targets/index.js';
import type { Action, ServiceDelta } from '../targets/target.js';
import type { Change } from './types.js';

function delta(changes: readonly Change[], before: readonly ServiceHandle[], after: readonly ServiceHandle[]): ServiceDelta {
  const beforeNames = new Set(before.map((s) => s.name));
  const afterNames = new Set(after.map((s) => s.name));
  const touched = new Map<string, Set<string>>();
  const changedPaths = new Set<string>();
  for (const change of changes) {
    if (change.kind !== 'create' && change.kind !== 'update' && change.kind !== 'remove') continue;
    const service = change.kind === 'remove' ? change.recorded.service : change.entry.service;
    touched.set(service, (touched.get(service) ?? new Set()).add(change.path));
    changedPaths.add(change.path);
  }
  return {
    added: after.filter((s) => !beforeNames.has(s.name)),
    removed: before.filter((s) => !afterNames.has(s.name)),
    changed: after.filter((s) => beforeNames.has(s.name) && touched.has(s.name)).map((handle) => ({ handle, paths: touched.get(handle.name) ?? new Set() })),
    changedPaths,
  };
}

export function planActions(
  changes: readonly Change[],
  before: readonly ServiceHandle[],
  after: readonly ServiceHandle[],
): { before: Action[]; after: Action[] } {
  const target = after[0]?.target ?? before[0]?.target;
  return target ? targetNamed(target).actions(delta(changes, before, after)) : { before: [], after: [] };
}

/** One line per action, as `diff` and `install --dry-run` list them. */
export function describeAction(action: Action): string {
  switch (action.kind) {
    case 'exec':
      return action.argv.join(' ');
    case 'wait-paths':
    case 'wait-gone':
      return action.describe;
    case 'ensure-user':
      return `create system user ${action.name} (useradd --system), unless it exists`;
    case 'ensure-group':
      return `create system group ${action.name} (groupadd --system), unless it exists`;
    case 'remove-user':
      return `remove system user ${action.name} (pvpn-gen created it; its processes are ended, then userdel)`;
    case 'remove-group':
      return `remove system group ${action.name} (pvpn-gen created it; groupdel)`;
  }
}

/** Which accounts to create now, which to remove, and what the manifest records as pvpn-gen's own afterwards. */
export function planAccounts(input: {
  readonly services: readonly ServiceHandle[];
  /** accounts the other installed projects need */
  readonly neededElsewhere: ReadonlySet<string>;
  readonly recorded: { readonly users: readonly string[]; readonly groups: readonly string[] };
  /** what exists now; null when staging under --root (nothing is created there) */
  readonly existing: { readonly users: ReadonlySet<string>; readonly groups: ReadonlySet<string> } | null;
  /** the desired files (systemd creates accounts from its sysusers.d files among them) */
  readonly desired: readonly DesiredEntry[];
  /** every account any installed project's pvpn-gen created */
  readonly createdAnywhere?: ReadonlySet<string>;
}): { create: Action[]; remove: Action[]; record: { users: string[]; groups: string[] } } {
  const users = new Map<string, string>();
  const groups = new Set<string>();
  for (const s of input.services) {
    for (const u of s.accounts.users) {
      // runit names a service's user after it when the spec names none: that must be a user of its own, never an
      // account that is already somebody's (a service called "root", "www-data" or "backup")
      if (u.derived && input.existing?.users.has(u.name) && !input.createdAnywhere?.has(u.name) && !input.recorded.users.includes(u.name)) {
        throw new OperationError(
          `service "${s.name}" would run as ${u.name} (runit names a service's user after it), but the account ${u.name} already exists and pvpn-gen did not create it: set \`user:\` to a user of its own (or to ${u.name}, if that is really meant)`,
        );
      }
      users.set(u.name, u.home);
    }
    for (const g of s.accounts.groups) groups.add(g);
  }
  const target = input.services[0]?.target;
  const missingUsers = input.existing ? [...users.keys()].filter((u) => !input.existing?.users.has(u)) : [];
  const missingGroups = input.existing ? [...groups].filter((g) => !input.existing?.groups.has(g) && !users.has(g)) : [];
  const create: Action[] = [];
  if (target && missingUsers.length + missingGroups.length > 0) {
    const missing = { users: new Map(missingUsers.map((name) => [name, users.get(name) ?? '/'])), groups: missingGroups };
    create.push(...targetNamed(target).createAccounts(missing, input.desired));
  }
  const stillNeeded = (name: string) => users.has(name) || groups.has(name) || input.neededElsewhere.has(name);
  const remove: Action[] = [
    ...input.recorded.users.filter((u) => !stillNeeded(u)).map((name): Action => ({ kind: 'remove-user', name })),
    ...input.recorded.groups.filter((g) => !stillNeeded(g)).map((name): Action => ({ kind: 'remove-group', name })),
  ];
  const sorted = (names: Iterable<string>) => [...new Set(names)].sort();
  return {
    create,
    remove,
    record: {
      users: sorted([...input.recorded.users.filter(stillNeeded), ...missingUsers]),
      groups: sorted([...input.recorded.groups.filter(stillNeeded), ...missingGroups]),
    },
  };
}

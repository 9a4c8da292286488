/**
 * What to run around the file changes, per target, as data: stop what is removed, reload, start what is new,
 * restart what changed. The control layer runs these on a live system; with --root they are only listed.
 */
import { OperationError } from '../errors.js';
import type { ServiceHandle, TargetName } from '../render/types.js';
import type { Action, Change } from './types.js';

type Handle<T extends ServiceHandle['target']> = Extract<ServiceHandle, { target: T }>;

interface ServiceDelta {
  readonly added: ServiceHandle[];
  readonly removed: ServiceHandle[];
  /** services whose files changed, with the changed paths */
  readonly changed: Array<{ handle: ServiceHandle; paths: Set<string> }>;
}

function delta(changes: readonly Change[], before: readonly ServiceHandle[], after: readonly ServiceHandle[]): ServiceDelta {
  const beforeNames = new Set(before.map((s) => s.name));
  const afterNames = new Set(after.map((s) => s.name));
  const touched = new Map<string, Set<string>>();
  for (const change of changes) {
    if (change.kind !== 'create' && change.kind !== 'update' && change.kind !== 'remove') continue;
    const service = change.kind === 'remove' ? change.recorded.service : change.entry.service;
    touched.set(service, (touched.get(service) ?? new Set()).add(change.path));
  }
  return {
    added: after.filter((s) => !beforeNames.has(s.name)),
    removed: before.filter((s) => !afterNames.has(s.name)),
    changed: after.filter((s) => beforeNames.has(s.name) && touched.has(s.name)).map((handle) => ({ handle, paths: touched.get(handle.name) ?? new Set() })),
  };
}

export function planActions(
  changes: readonly Change[],
  before: readonly ServiceHandle[],
  after: readonly ServiceHandle[],
): { before: Action[]; after: Action[] } {
  const target = after[0]?.target ?? before[0]?.target;
  return target ? ACTIONS_BY_TARGET[target](delta(changes, before, after), changes) : { before: [], after: [] };
}

/** How each init system is told about the changes (the per-target fact of this module, as a table). */
const ACTIONS_BY_TARGET: Readonly<Record<TargetName, (d: ServiceDelta, changes: readonly Change[]) => { before: Action[]; after: Action[] }>> = {
  systemd: (d, changes) => systemdActions(d, changes),
  runit: (d) => runitActions(d),
};

function systemdActions(d: ServiceDelta, changes: readonly Change[]): { before: Action[]; after: Action[] } {
  const before: Action[] = [];
  const after: Action[] = [];
  const removed = d.removed as Array<Handle<'systemd'>>;
  if (removed.length > 0) before.push({ kind: 'systemctl', args: ['stop', ...removed.flatMap((s) => [s.mainUnit, ...s.units.filter((u) => u !== s.mainUnit)])] });
  const unitFilesChanged = changes.some(
    (c) => (c.kind === 'create' || c.kind === 'update' || c.kind === 'remove') && (c.path.endsWith('.service') || c.path.endsWith('.timer')),
  );
  // a removed unit that had failed would stay listed by `systemctl --failed` as "not-found failed": clear it while
  // it is still loaded
  if (removed.length > 0) before.push({ kind: 'systemctl', args: ['reset-failed', ...removed.flatMap((s) => s.units)] });
  if (unitFilesChanged) after.push({ kind: 'systemctl', args: ['daemon-reload'] });
  const added = d.added as Array<Handle<'systemd'>>;
  if (added.length > 0) after.push({ kind: 'systemctl', args: ['start', ...added.map((s) => s.mainUnit)] });
  // A changed timer is re-armed by a restart; a changed job is picked up at its next run; a daemon restarts.
  const restart = (d.changed as Array<{ handle: Handle<'systemd'>; paths: Set<string> }>)
    .filter(({ handle, paths }) => [...paths].some((p) => p.endsWith(`/${handle.mainUnit}`)) || (!handle.periodic && paths.size > 0))
    .map(({ handle }) => handle.mainUnit);
  if (restart.length > 0) after.push({ kind: 'systemctl', args: ['restart', ...restart] });
  return { before, after };
}

function runitActions(d: ServiceDelta): { before: Action[]; after: Action[] } {
  const before: Action[] = [];
  const after: Action[] = [];
  for (const s of d.removed as Array<Handle<'runit'>>) {
    // the job first, then its logger, so that its last lines are still logged
    before.push({ kind: 'sv', args: ['stop', s.serviceDir], scanDir: s.scanDir });
    before.push({ kind: 'sv', args: ['stop', `${s.serviceDir}/log`], scanDir: s.scanDir });
    after.push({ kind: 'runit-wait-gone', service: s.name, serviceDir: s.serviceDir });
  }
  for (const s of d.added as Array<Handle<'runit'>>) after.push({ kind: 'runit-wait-up', service: s.name, serviceDir: s.serviceDir });
  for (const { handle, paths } of d.changed as Array<{ handle: Handle<'runit'>; paths: Set<string> }>) {
    after.push({ kind: 'runit-wait-up', service: handle.name, serviceDir: handle.serviceDir });
    if (paths.has(`${handle.serviceDir}/run`) || paths.has(`${handle.serviceDir}/finish`)) {
      after.push({ kind: 'sv', args: ['restart', handle.serviceDir], scanDir: handle.scanDir });
    }
    if (paths.has(`${handle.serviceDir}/log/run`)) after.push({ kind: 'sv', args: ['restart', `${handle.serviceDir}/log`], scanDir: handle.scanDir });
  }
  return { before, after };
}

/** One line per action, as `diff` and `install --dry-run` list them. */
export function describeAction(action: Action): string {
  switch (action.kind) {
    case 'systemctl':
      return `systemctl ${action.args.join(' ')}`;
    case 'sv':
      return `sv ${action.args.join(' ')}`;
    case 'runit-wait-up':
      return `wait until runsv supervises ${action.serviceDir} (supervise/ok)`;
    case 'runit-wait-gone':
      return `wait until runsv of ${action.serviceDir} has exited`;
    case 'command':
      return action.argv.join(' ');
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
  /** the sysusers.d files among the desired files (systemd creates accounts from them) */
  readonly sysusersFiles: readonly string[];
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
  if (missingUsers.length + missingGroups.length > 0) {
    if (target === 'systemd') create.push({ kind: 'command', argv: ['systemd-sysusers', ...input.sysusersFiles] });
    else {
      create.push(...missingGroups.map((name): Action => ({ kind: 'ensure-group', name })));
      create.push(...missingUsers.map((name): Action => ({ kind: 'ensure-user', name, home: users.get(name) ?? '/' })));
    }
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

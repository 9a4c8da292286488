/** Rendered output + installed state + manifest -> Plan (changes, actions, the manifest to record). Pure. */
import { planAccounts, planActions } from './actions.js';
import { compare, directoryRegistry, removalFor, type CompareInput } from './compare.js';
import { MANIFEST_FORMAT } from './manifest.js';
import { siblingPath } from './state-paths.js';
import type { InstalledState, Manifest, Plan } from './types.js';

export interface PlanInput extends CompareInput {
  readonly project: string;
  readonly spec: { readonly path: string; readonly sha256: string };
  readonly tool: string;
  /** accounts that exist now (null when staging: nothing is created under --root) */
  readonly existingAccounts: { readonly users: ReadonlySet<string>; readonly groups: ReadonlySet<string> } | null;
  /** account names other installed projects need */
  readonly accountsElsewhere: ReadonlySet<string>;
  /** accounts pvpn-gen created, as every installed project's manifest records them */
  readonly createdAnywhere: ReadonlySet<string>;
}

export interface PlanWithDirectories extends Plan {
  readonly createDirectories: readonly string[];
  readonly removeDirectories: readonly string[];
}

export function buildPlan(input: PlanInput): PlanWithDirectories {
  const comparison = compare(input);
  const renderedNames = new Set(input.rendered.services.map((s) => s.name));
  const keptServices = (input.manifest?.services ?? []).filter(
    (s) => !renderedNames.has(s.name) && input.scope !== null && !input.scope.has(s.name),
  );
  const services = [...keptServices, ...input.rendered.services].sort((a, b) => (a.name < b.name ? -1 : 1));
  const actions = planActions(comparison.changes, input.manifest?.services ?? [], services);
  const accounts = planAccounts({
    services,
    neededElsewhere: input.accountsElsewhere,
    recorded: input.manifest?.accounts ?? { users: [], groups: [] },
    existing: input.existingAccounts,
    createdAnywhere: input.createdAnywhere,
    desired: input.rendered.entries,
  });
  const newPaths = new Set(comparison.entries.map((e) => e.path));
  const manifest: Manifest = {
    format: MANIFEST_FORMAT,
    tool: input.tool,
    project: input.project,
    spec: input.spec,
    target: input.rendered.target,
    layout: input.rendered.layout,
    services,
    entries: comparison.entries,
    backups: [
      ...(input.manifest?.backups ?? []).filter((b) => newPaths.has(b.path)),
      ...comparison.changes.flatMap((c) =>
        c.kind === 'update' && c.backup && !input.manifest?.entries.some((e) => e.path === c.path) ? [{ path: c.path, backup: backupPathOf(c.path) }] : [],
      ),
    ].sort((a, b) => (a.path < b.path ? -1 : 1)),
    accounts: accounts.record,
  };
  return {
    changes: comparison.changes,
    before: actions.before,
    // accounts first: a service must not start before its user exists
    after: [...accounts.create, ...actions.after, ...accounts.remove],
    manifest,
    directories: comparison.directories,
    createDirectories: comparison.createDirectories,
    removeDirectories: comparison.removeDirectories,
  };
}

/** Where --force keeps the file it replaced (next to it, hidden from runsvdir and systemd by the leading dot). */
export function backupPathOf(path: string): string {
  return siblingPath(path, 'backup');
}

export interface RemovalInput {
  readonly manifest: Manifest;
  readonly accountsElsewhere: ReadonlySet<string>;
  readonly ownedElsewhere: ReadonlyMap<string, string>;
  readonly registry: readonly string[];
  readonly installed: ReadonlyMap<string, InstalledState>;
  /** the services to remove (default: all of the manifest's) */
  readonly scope: ReadonlySet<string> | null;
  readonly force: boolean;
}

/** uninstall: the manifest's entries of the services in scope are removed, the rest recorded as they are. */
export function buildRemovalPlan(input: RemovalInput): PlanWithDirectories {
  const { manifest } = input;
  const inScope = (service: string) => input.scope === null || input.scope.has(service);
  const changes = manifest.entries
    .filter((e) => inScope(e.service))
    .map((e) => removalFor(e, input))
    .sort((a, b) => (a.path < b.path ? -1 : 1));
  const blocked = new Set(changes.filter((c) => c.kind === 'conflict').map((c) => c.path));
  const entries = manifest.entries.filter((e) => !inScope(e.service) || blocked.has(e.path));
  const { removeDirectories, directories } = directoryRegistry(input.registry, [...entries.map((e) => e.path), ...input.ownedElsewhere.keys()], []);
  const services = manifest.services.filter((s) => !inScope(s.name));
  const actions = planActions(changes, manifest.services, services);
  const accounts = planAccounts({ services, neededElsewhere: input.accountsElsewhere, recorded: manifest.accounts ?? { users: [], groups: [] }, existing: null, desired: [] });
  const remainingPaths = new Set(entries.map((e) => e.path));
  return {
    changes,
    before: actions.before,
    after: [...actions.after, ...accounts.remove],
    manifest: {
      ...manifest,
      services,
      entries,
      backups: manifest.backups.filter((b) => remainingPaths.has(b.path)),
      accounts: accounts.record,
    },
    directories,
    createDirectories: [],
    removeDirectories,
  };
}

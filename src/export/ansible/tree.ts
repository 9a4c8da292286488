/**
 * One rendered tree (a target in one layout) as the data the exported role reads: what to create, copy and link,
 * the accounts, the manifest `pvpn-gen install` would record, and the init system's commands as a table the role
 * picks from by what changed. Pure. The commands come from the target's own `actions`, asked per file ("this one
 * path changed"), per new service and per removed one, so the role restarts exactly what install would.
 */
import { STATE_DIR } from '../../paths.js';
import { MANIFEST_FORMAT } from '../../plan/manifest.js';
import { ancestors, record } from '../../plan/compare.js';
import { createdListOf, directoriesPathOf, manifestFileOf, manifestsDirOf } from '../../plan/state-paths.js';
import type { Manifest } from '../../plan/types.js';
import type { DesiredEntry, Rendered, ServiceHandle } from '../../render/types.js';
import { targetNamed } from '../../targets/index.js';
import type { Action, ServiceDelta } from '../../targets/target.js';
import { removalRecipes, type RemovalRecipes } from './retire.js';
import { orderedSteps, stepKey, stepOf, type Step } from './steps.js';

export interface TreeFile {
  readonly path: string;
  /** octal, as Ansible's `mode` takes it: "0755" */
  readonly mode: string;
  readonly service: string;
  /** the steps to run when this file changed and its service was installed before */
  readonly actions: readonly number[];
}

export interface TreeLink {
  readonly path: string;
  readonly target: string;
  readonly service: string;
  readonly actions: readonly number[];
}

export interface TreeService {
  readonly name: string;
  /** steps for a service that is new on the host (start it, wait until it is supervised) */
  readonly added: readonly number[];
  /** steps before its files go (stop it) */
  readonly stop: readonly number[];
  /** steps after its files went (wait for runsv to go, daemon-reload) */
  readonly removed: readonly number[];
}

export interface TreeData {
  /** `systemd`, `runit-void` */
  readonly name: string;
  /** the folder of its files under the role's files/: its name, or variants/VARIANT/NAME */
  readonly source: string;
  readonly target: string;
  readonly layout: string | null;
  /** every directory above a file, a link or the manifest, outermost first */
  readonly directories: readonly string[];
  /** those above the services' files and links (pvpn-gen's directory registry records these when it makes them) */
  readonly entryDirectories: readonly string[];
  readonly files: readonly TreeFile[];
  readonly links: readonly TreeLink[];
  /** what the supervisor and the scripts leave behind a removed service */
  readonly leftovers: readonly string[];
  /** the directories the scripts make in pvpn-gen's state directory (its records of runs): they go with it */
  readonly stateSubdirectories: readonly string[];
  readonly services: readonly TreeService[];
  readonly users: ReadonlyArray<{ readonly name: string; readonly home: string }>;
  readonly groups: readonly string[];
  readonly steps: readonly Step[];
  readonly manifest: string;
  readonly manifestsDirectory: string;
  readonly registry: string;
  readonly stateRegistry: string;
  /** the manifest install would write, but for the accounts (the role fills in those it created) */
  readonly record: Manifest;
  /** how to remove a service the host has and the spec no longer does, from its recorded handle */
  readonly retire: RemovalRecipes;
}

/** `runit-void`; a target without layouts is its name alone. */
export function treeName(rendered: Pick<Rendered, 'target' | 'layout'>): string {
  return rendered.layout === null ? rendered.target : `${rendered.target}-${rendered.layout}`;
}

const byPath = (a: { path: string }, b: { path: string }) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

export function treeData(rendered: Rendered, manifestBase: { project: string; tool: string; spec: { path: string; sha256: string } }, source = treeName(rendered)): TreeData {
  const target = targetNamed(rendered.target);
  const handles = new Map(rendered.services.map((h) => [h.name, h]));
  const pathsOf = (service: string) => new Set(rendered.entries.filter((e) => e.service === service).map((e) => e.path));
  const delta = (partial: Partial<ServiceDelta> & { changedPaths: ReadonlySet<string> }): ServiceDelta => ({ added: [], removed: [], changed: [], ...partial });
  const handle = (name: string) => handles.get(name) as ServiceHandle;

  // every sequence of commands install may run, to order them all in one table
  const afterChange = (e: DesiredEntry) => target.actions(delta({ changed: [{ handle: handle(e.service), paths: new Set([e.path]) }], changedPaths: new Set([e.path]) })).after;
  const services = [...rendered.services].sort((a, b) => (a.name < b.name ? -1 : 1));
  const sequences = new Map<string, { added: Action[]; stop: Action[]; removed: Action[] }>();
  for (const h of services) {
    const removal = target.actions(delta({ removed: [h], changedPaths: pathsOf(h.name) }));
    sequences.set(h.name, { added: target.actions(delta({ added: [h], changedPaths: pathsOf(h.name) })).after, stop: removal.before, removed: removal.after });
  }
  const perEntry = new Map(rendered.entries.map((e) => [e.path, afterChange(e)]));
  const all = [...perEntry.values(), ...[...sequences.values()].flatMap((s) => [s.added, s.stop, s.removed])];
  const steps = orderedSteps(all.map((sequence) => sequence.flatMap((a) => stepOf(a) ?? [])));
  const idOf = new Map(steps.map((s) => [stepKey(s), s.id]));
  const ids = (actions: readonly Action[]) => actions.flatMap((a) => stepOf(a) ?? []).map((s) => idOf.get(stepKey(s)) as number);

  const files: TreeFile[] = [];
  const links: TreeLink[] = [];
  for (const e of rendered.entries) {
    const actions = ids(perEntry.get(e.path) ?? []);
    if (e.kind === 'file') files.push({ path: e.path, mode: `0${e.mode.toString(8).padStart(3, '0')}`, service: e.service, actions });
    else links.push({ path: e.path, target: e.target, service: e.service, actions });
  }
  const manifest = manifestFileOf('', manifestBase.project);
  const entryDirectories = new Set(rendered.entries.flatMap((e) => ancestors(e.path)));
  const directories = [...new Set([...entryDirectories, ...ancestors(manifest)])].sort((a, b) => a.length - b.length || (a < b ? -1 : 1));

  const users = new Map<string, string>();
  const groups = new Set<string>();
  for (const h of services) {
    for (const u of h.accounts.users) if (!users.has(u.name)) users.set(u.name, u.home);
    for (const g of h.accounts.groups) groups.add(g);
  }
  const leftovers = services.flatMap((h) => target.leftovers(h));
  const record_: Manifest = {
    format: MANIFEST_FORMAT,
    tool: manifestBase.tool,
    project: manifestBase.project,
    spec: manifestBase.spec,
    target: rendered.target,
    layout: rendered.layout,
    services,
    entries: rendered.entries.map(record).sort(byPath),
    backups: [],
    accounts: { users: [], groups: [] },
  };
  return {
    name: treeName(rendered),
    source,
    target: rendered.target,
    layout: rendered.layout,
    directories,
    entryDirectories: [...entryDirectories].sort(),
    files: files.sort(byPath),
    // links last in their own list: a runit enable link once the service directory is complete
    links: links.sort(byPath),
    leftovers,
    stateSubdirectories: [...new Set(leftovers.filter((p) => p.startsWith(`${STATE_DIR}/`)).flatMap(ancestors))].filter((d) => d.startsWith(`${STATE_DIR}/`)).sort(),
    services: services.map((h) => {
      const s = sequences.get(h.name) as { added: Action[]; stop: Action[]; removed: Action[] };
      return { name: h.name, added: ids(s.added), stop: ids(s.stop), removed: ids(s.removed) };
    }),
    users: [...users].sort(([a], [b]) => (a < b ? -1 : 1)).map(([name, home]) => ({ name, home })),
    groups: [...groups].filter((g) => !users.has(g)).sort(),
    steps,
    manifest,
    manifestsDirectory: manifestsDirOf(''),
    registry: directoriesPathOf(''),
    stateRegistry: createdListOf(''),
    record: record_,
    retire: removalRecipes(target, services[0] as ServiceHandle, pathsOf((services[0] as ServiceHandle).name)),
  };
}

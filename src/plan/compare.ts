/**
 * Desired entries against what is installed and what the manifest recorded -> typed changes and the new manifest.
 * Pure: the installed states come in as data (read by read-installed.ts), so diff, --dry-run and install share it.
 */
import type { DesiredEntry, Rendered } from '../render/types.js';
import { lazySha256 } from './hash.js';
import type { Change, InstalledState, Manifest, ManifestEntry } from './types.js';

export interface CompareInput {
  readonly rendered: Rendered;
  /** lstat-level state of every desired path, every manifest path and every ancestor directory of them */
  readonly installed: ReadonlyMap<string, InstalledState>;
  /** this project's manifest, if it was installed before */
  readonly manifest: Manifest | null;
  /** paths recorded by other projects' manifests, with the project name */
  readonly ownedElsewhere: ReadonlyMap<string, string>;
  /** the directories pvpn-gen created so far, for all projects */
  readonly registry: readonly string[];
  /** only these services are installed or removed; the manifest's other services are kept as they are */
  readonly scope: ReadonlySet<string> | null;
  /** take over foreign or modified files (install keeps a backup of a foreign file) */
  readonly force: boolean;
}

export interface Comparison {
  readonly changes: Change[];
  /** directories to create, outermost first */
  readonly createDirectories: string[];
  /** created directories that no remaining entry of any project needs, innermost first */
  readonly removeDirectories: string[];
  readonly entries: ManifestEntry[];
  readonly directories: string[];
}

function stateOf(input: Pick<CompareInput, 'installed'>, path: string): InstalledState {
  return input.installed.get(path) ?? { kind: 'missing' };
}

function matches(entry: DesiredEntry, state: InstalledState): boolean {
  if (entry.kind === 'file') return state.kind === 'file' && state.content === entry.content && state.mode === entry.mode;
  return state.kind === 'symlink' && state.target === entry.target;
}

/** Whether what stands on disk is still what pvpn-gen recorded (so it may be replaced or removed). */
function isAsRecorded(recorded: ManifestEntry, state: InstalledState): boolean {
  if (recorded.kind === 'file') return state.kind === 'file' && state.sha256 === recorded.sha256;
  return state.kind === 'symlink' && state.target === recorded.target;
}

export function record(entry: DesiredEntry): ManifestEntry {
  if (entry.kind === 'symlink') return { path: entry.path, kind: 'symlink', target: entry.target, service: entry.service };
  const digest = lazySha256(entry.content);
  return {
    path: entry.path,
    kind: 'file',
    mode: entry.mode,
    // read when the manifest is written (install), never by diff: see lazySha256
    get sha256() {
      return digest();
    },
    service: entry.service,
  };
}

function describeState(state: InstalledState): string {
  switch (state.kind) {
    case 'file':
      return 'a file';
    case 'symlink':
      return `a symlink to ${state.target}`;
    case 'directory':
      return 'a directory';
    default:
      return 'a special file';
  }
}

function changeFor(entry: DesiredEntry, input: CompareInput, recorded: ManifestEntry | undefined): Change {
  const path = entry.path;
  const state = stateOf(input, path);
  const owner = input.ownedElsewhere.get(path);
  if (owner !== undefined) {
    return { kind: 'conflict', path, reason: 'owned-elsewhere', before: state, entry, detail: `installed by pvpn-gen project "${owner}"; uninstall it there first` };
  }
  if (state.kind === 'missing') return { kind: 'create', path, entry };
  if (state.kind === 'directory' || state.kind === 'other') {
    return { kind: 'conflict', path, reason: 'wrong-type', before: state, entry, detail: `${describeState(state)} is in the way; pvpn-gen never removes it` };
  }
  if (!recorded) {
    if (!input.force) {
      const same = matches(entry, state) ? ' (with the same content)' : '';
      return { kind: 'conflict', path, reason: 'foreign', before: state, entry, detail: `${describeState(state)} pvpn-gen did not write is in the way${same}; --force takes it over and keeps a backup` };
    }
  } else if (!isAsRecorded(recorded, state) && !input.force) {
    return { kind: 'conflict', path, reason: 'modified', before: state, entry, detail: 'changed since pvpn-gen wrote it; --force replaces it' };
  }
  if (recorded && matches(entry, state)) return { kind: 'unchanged', path, entry };
  const backup = !recorded || !isAsRecorded(recorded, state);
  const contentChanged =
    entry.kind === 'file' ? state.kind !== 'file' || state.content !== entry.content : state.kind !== 'symlink' || state.target !== entry.target;
  const modeChanged = entry.kind === 'file' && state.kind === 'file' && state.mode !== entry.mode;
  return { kind: 'update', path, entry, before: state, contentChanged, modeChanged, backup };
}

export function removalFor(recorded: ManifestEntry, input: Pick<CompareInput, 'installed' | 'force'>): Change {
  const state = stateOf(input, recorded.path);
  const changed = state.kind !== 'missing' && !isAsRecorded(recorded, state);
  if (changed && !input.force) {
    return { kind: 'conflict', path: recorded.path, reason: 'modified', before: state, detail: 'changed since pvpn-gen wrote it, so it is not removed; --force removes it (keeping a backup)' };
  }
  return { kind: 'remove', path: recorded.path, before: state, recorded, backup: changed };
}

export function ancestors(path: string): string[] {
  const out: string[] = [];
  for (let i = path.lastIndexOf('/'); i > 0; i = path.lastIndexOf('/', i - 1)) out.push(path.slice(0, i));
  return out;
}

export function compare(input: CompareInput): Comparison {
  const manifest = input.manifest;
  const recorded = new Map((manifest?.entries ?? []).map((e) => [e.path, e]));
  const inScope = (service: string) => input.scope === null || input.scope.has(service);
  const desiredPaths = new Set(input.rendered.entries.map((e) => e.path));

  const changes: Change[] = input.rendered.entries.map((entry) => changeFor(entry, input, recorded.get(entry.path)));
  for (const entry of manifest?.entries ?? []) {
    if (!desiredPaths.has(entry.path) && inScope(entry.service)) changes.push(removalFor(entry, input));
  }
  changes.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));

  // The manifest after the change: what is written (or kept), plus the out-of-scope services left alone.
  const removed = new Set(changes.filter((c) => c.kind === 'remove').map((c) => c.path));
  const kept = (manifest?.entries ?? []).filter((e) => !desiredPaths.has(e.path) && !removed.has(e.path));
  const written = changes.flatMap((c) => (c.kind === 'create' || c.kind === 'update' || c.kind === 'unchanged' ? [record(c.entry)] : []));
  const entries = [...kept, ...written].sort((a, b) => (a.path < b.path ? -1 : 1));

  // Directories: create the missing ancestors of desired paths; remove created ones nothing remains under.
  const needed = new Set(input.rendered.entries.flatMap((e) => ancestors(e.path)));
  const createDirectories = [...needed].filter((d) => stateOf(input, d).kind === 'missing').sort((a, b) => a.length - b.length || (a < b ? -1 : 1));
  const { removeDirectories, directories } = directoryRegistry(input.registry, [...entries.map((e) => e.path), ...input.ownedElsewhere.keys()], createDirectories);
  return { changes, createDirectories, removeDirectories, entries, directories };
}

/** The registry after a change: created directories added, those no remaining path needs removed (innermost first). */
export function directoryRegistry(
  registry: readonly string[],
  remainingPaths: readonly string[],
  created: readonly string[],
): { removeDirectories: string[]; directories: string[] } {
  const stillNeeded = new Set(remainingPaths.flatMap(ancestors));
  const removeDirectories = registry.filter((d) => !stillNeeded.has(d)).sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
  const directories = [...new Set([...registry.filter((d) => stillNeeded.has(d)), ...created])].sort();
  return { removeDirectories, directories };
}

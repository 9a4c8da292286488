/**
 * Reads what is installed under a root, through the System's reader: lstat-level states of the paths a plan needs,
 * the manifests, the directory registry, the accounts. The planner gets all of it as data.
 */
import { OperationError } from '../errors.js';
import { lazySha256 } from '../plan/hash.js';
import { parseDirectories, parseManifest } from '../plan/manifest.js';
import { directoriesPathOf, manifestsDirOf } from '../plan/state-paths.js';
import type { InstalledState, Manifest } from '../plan/types.js';
import type { Reader } from './port.js';

export function readState(reader: Reader, root: string, path: string): InstalledState {
  const full = root + path;
  const info = reader.info(full);
  if (info === null) return { kind: 'missing' };
  if (info.type === 'symlink') return { kind: 'symlink', target: reader.readlink(full) };
  if (info.type === 'directory') return { kind: 'directory' };
  if (info.type !== 'file') return { kind: 'other' };
  const bytes = reader.read(full) ?? Buffer.alloc(0);
  const digest = lazySha256(bytes);
  return {
    kind: 'file',
    mode: info.mode,
    content: bytes.toString('utf8'),
    // compared only with what a manifest recorded: a root without one hashes nothing (see lazySha256)
    get sha256() {
      return digest();
    },
  };
}

/** States of the given paths and of all their ancestor directories. */
export function readStates(reader: Reader, root: string, paths: Iterable<string>): Map<string, InstalledState> {
  const states = new Map<string, InstalledState>();
  for (const path of paths) {
    for (let p = path; p.length > 0 && !states.has(p); p = p.slice(0, p.lastIndexOf('/'))) states.set(p, readState(reader, root, p));
  }
  return states;
}

/** Every project's manifest under the root. A damaged manifest is an error: guessing could remove the wrong files. */
export function readManifests(reader: Reader, root: string): Map<string, Manifest> {
  const dir = manifestsDirOf(root);
  const names = (reader.list(dir) ?? []).filter((n) => n.endsWith('.json') && !n.startsWith('.')).sort();
  const manifests = new Map<string, Manifest>();
  for (const name of names) {
    const path = `${dir}/${name}`;
    const parsed = parseManifest((reader.read(path) ?? Buffer.alloc(0)).toString('utf8'));
    const project = name.slice(0, -'.json'.length);
    const message = !parsed.ok ? parsed.message : parsed.manifest.project !== project ? `it records project ${JSON.stringify(parsed.manifest.project)}, not ${project}` : null;
    if (message !== null || !parsed.ok) throw new OperationError(`${path}: ${message}; move it away to start over (pvpn-gen will then treat the installed files as foreign)`);
    manifests.set(project, parsed.manifest);
  }
  return manifests;
}

/** The directories pvpn-gen created (for all projects); empty before the first install. */
export function readDirectoryRegistry(reader: Reader, root: string): string[] {
  const path = directoriesPathOf(root);
  const bytes = reader.read(path);
  if (bytes === null) return [];
  const dirs = parseDirectories(bytes.toString('utf8'));
  if (!dirs) throw new OperationError(`${path} is damaged; fix or remove it (pvpn-gen then leaves the directories it made in place)`);
  return dirs;
}

/** The user and group names of the system under `root` (its /etc/passwd and /etc/group). */
export function readAccounts(reader: Reader, root: string): { users: Set<string>; groups: Set<string> } {
  const names = (file: string) =>
    new Set(
      (reader.read(`${root}${file}`)?.toString('utf8') ?? '')
        .split('\n')
        .map((line) => line.split(':')[0] ?? '')
        .filter(Boolean),
    );
  return { users: names('/etc/passwd'), groups: names('/etc/group') };
}

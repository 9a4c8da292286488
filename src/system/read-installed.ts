/**
 * Reads what is installed under a root: lstat-level states of the paths a plan needs, and the manifests.
 * Read-only; the only file reading of the plan stage.
 */
import { lstatSync, readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { OperationError } from '../errors.js';
import { lazySha256 } from '../plan/hash.js';
import { parseDirectories, parseManifest } from '../plan/manifest.js';
import { directoriesPathOf, manifestsDirOf } from '../plan/state-paths.js';
import type { InstalledState, Manifest } from '../plan/types.js';

/** Whether anything (a dangling link too) stands at `path`. */
export function pathExists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

export function readState(root: string, path: string): InstalledState {
  const full = root + path;
  let stat;
  try {
    // throwIfNoEntry: a missing path is the common case of a first install; an exception per path costs 10x more
    stat = lstatSync(full, { throwIfNoEntry: false });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOTDIR') return { kind: 'missing' };
    throw new OperationError(`cannot inspect ${full}: ${(error as Error).message}`);
  }
  if (stat === undefined) return { kind: 'missing' };
  if (stat.isSymbolicLink()) return { kind: 'symlink', target: readlinkSync(full) };
  if (stat.isDirectory()) return { kind: 'directory' };
  if (!stat.isFile()) return { kind: 'other' };
  const bytes = readFileSync(full);
  const digest = lazySha256(bytes);
  return {
    kind: 'file',
    mode: stat.mode & 0o7777,
    content: bytes.toString('utf8'),
    // compared only with what a manifest recorded: a root without one hashes nothing (see lazySha256)
    get sha256() {
      return digest();
    },
  };
}

/** States of the given paths and of all their ancestor directories. */
export function readStates(root: string, paths: Iterable<string>): Map<string, InstalledState> {
  const states = new Map<string, InstalledState>();
  for (const path of paths) {
    for (let p = path; p.length > 0 && !states.has(p); p = p.slice(0, p.lastIndexOf('/'))) states.set(p, readState(root, p));
  }
  return states;
}

/** Every project's manifest under the root. A damaged manifest is an error: guessing could remove the wrong files. */
export function readManifests(root: string): Map<string, Manifest> {
  const dir = manifestsDirOf(root);
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.json') && !n.startsWith('.')).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw new OperationError(`cannot read ${dir}: ${(error as Error).message}`);
  }
  const manifests = new Map<string, Manifest>();
  for (const name of names) {
    const path = `${dir}/${name}`;
    const parsed = parseManifest(readFileSync(path, 'utf8'));
    const project = name.slice(0, -'.json'.length);
    const message = !parsed.ok ? parsed.message : parsed.manifest.project !== project ? `it records project ${JSON.stringify(parsed.manifest.project)}, not ${project}` : null;
    if (message !== null || !parsed.ok) throw new OperationError(`${path}: ${message}; move it away to start over (pvpn-gen will then treat the installed files as foreign)`);
    manifests.set(project, parsed.manifest);
  }
  return manifests;
}

/** The directories pvpn-gen created (for all projects); empty before the first install. */
export function readDirectoryRegistry(root: string): string[] {
  const path = directoriesPathOf(root);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new OperationError(`cannot read ${path}: ${(error as Error).message}`);
  }
  const dirs = parseDirectories(text);
  if (!dirs) throw new OperationError(`${path} is damaged; fix or remove it (pvpn-gen then leaves the directories it made in place)`);
  return dirs;
}

/** The user and group names of the system under `root` (its /etc/passwd and /etc/group). */
export function readAccounts(root: string): { users: Set<string>; groups: Set<string> } {
  const names = (file: string) => {
    try {
      return new Set(readFileSync(`${root}${file}`, 'utf8').split('\n').map((line) => line.split(':')[0] ?? '').filter(Boolean));
    } catch {
      return new Set<string>();
    }
  };
  return { users: names('/etc/passwd'), groups: names('/etc/group') };
}

/** Where pvpn-gen keeps its own state under a root (the live system's root is ''). */
import { STATE_DIR } from '../paths.js';

export { isPlainAbsolute } from '../paths.js';

export const stateDirOf = (root: string) => root + STATE_DIR;
export const manifestsDirOf = (root: string) => `${stateDirOf(root)}/manifests`;
export const manifestFileOf = (root: string, project: string) => `${manifestsDirOf(root)}/${project}.json`;
/** the directories pvpn-gen created for the services of all projects */
export const directoriesPathOf = (root: string) => `${stateDirOf(root)}/directories.json`;
export const journalPathOf = (root: string) => `${stateDirOf(root)}/journal.json`;
export const lockPathOf = (root: string) => `${stateDirOf(root)}/lock`;
/** the directories pvpn-gen made for its state directory, so the last uninstall can take them away again */
export const createdListOf = (root: string) => `${stateDirOf(root)}/created-directories.json`;

/**
 * A name next to `path` for pvpn-gen's own use (temps, backups): in the same directory, so a rename stays on one file
 * system; hidden by the leading dot from runsvdir and systemd; recognisable by `.pvpn-gen-` (recover.ts).
 */
export function siblingPath(path: string, tag: string): string {
  const slash = path.lastIndexOf('/');
  return `${path.slice(0, slash)}/.${path.slice(slash + 1)}.pvpn-gen-${tag}`;
}


/**
 * Root writes only where nobody else can redirect it. Before install or uninstall touches a path, every directory on
 * the way to it must be one that only root (or, for a staging --root, its owner) can change: owned by it and
 * writable by nobody else. Then no other user can swap a name on that way for a link, between a check and a write
 * or ever. Read-only; the one place such ownership questions are answered for pvpn-gen itself (the generated
 * scripts ask the same in sh: templates/sh/_functions.hbs).
 *
 * On the live system a link on the way is followed when it is root's (Debian's /etc/service, Void's /var/service
 * point into /etc/runit/runsvdir), and where it points is checked the same way. Under --root DIR no link is
 * followed at all below DIR: a staging tree is not a system whose links mean anything.
 */
import { dirname, resolve } from 'node:path';
import { OperationError } from '../errors.js';
import type { PathInfo, Reader } from './port.js';

/** Users whose directories are trusted: root, and whoever runs pvpn-gen (a staging root of one's own). */
function trustedOwners(): Set<number> {
  return new Set([0, process.geteuid?.() ?? 0]);
}

const WRITABLE_BY_OTHERS = 0o022;
const STICKY = 0o1000;

/** Why a directory cannot be trusted, or null. */
function untrustedDirectory(stat: PathInfo, owners: ReadonlySet<number>): string | null {
  if (stat.type !== 'directory') return 'is not a directory';
  if (!owners.has(stat.uid)) return `belongs to uid ${stat.uid}`;
  if (stat.mode & WRITABLE_BY_OTHERS) return `is writable by ${stat.mode & 0o002 ? 'everyone' : 'its group'} (mode ${(stat.mode & 0o7777).toString(8).padStart(4, '0')})`;
  return null;
}


/**
 * The --root directory itself: a directory its owner alone can change, and so is every directory above it (a
 * sticky one, such as /tmp, is fine when the next one is the owner's: nobody else can rename it there).
 */
export function checkStagingRoot(reader: Reader, root: string, shown: string): void {
  const owners = trustedOwners();
  let child: PathInfo | null = null;
  for (let dir = root; ; dir = dirname(dir)) {
    const stat = reader.info(dir);
    if (stat === null) throw new OperationError(`--root ${shown}: no such directory; create it first`);
    if (stat.type === 'symlink') throw new OperationError(`--root ${shown}: ${dir} is a symbolic link; name the real directory`);
    if (stat.type !== 'directory') throw new OperationError(`--root ${shown}: ${dir === root ? 'not a directory' : `${dir} is not a directory`}`);
    const sticky = child !== null && (stat.mode & STICKY) !== 0 && owners.has(child.uid);
    const why = untrustedDirectory(stat, owners);
    if (why && !sticky) {
      throw new OperationError(`--root ${shown}: ${dir} ${why}; another user could move files pvpn-gen writes as root: use a directory only you can change`);
    }
    if (dir === '/') return;
    child = stat;
  }
}

/**
 * Every existing directory on the way to each path (root + path; the last component itself is not checked: it is
 * what gets created, replaced or removed) must be trusted. Throws with the offending directory and what to do.
 */
export function checkWays(reader: Reader, root: string, paths: Iterable<string>): void {
  const owners = root === '' ? new Set([0]) : trustedOwners();
  const trusted = new Set<string>();
  for (const path of paths) {
    const dirs = path.split('/').filter(Boolean);
    dirs.pop();
    if (root === '') checkLiveWay(reader, dirs, owners, trusted, 0);
    else checkStagingWay(reader, root, dirs, owners, trusted);
  }
}

/** Staging: no link anywhere below the root. */
function checkStagingWay(reader: Reader, root: string, parts: readonly string[], owners: ReadonlySet<number>, trusted: Set<string>): void {
  let dir = root;
  for (const part of parts) {
    dir = `${dir}/${part}`;
    if (trusted.has(dir)) continue;
    const stat = reader.info(dir);
    if (stat === null) return; // made by the transaction, under a checked parent
    if (stat.type === 'symlink') throw new OperationError(`${dir} is a symbolic link; pvpn-gen never writes through a link under --root: replace it with a directory`);
    const why = untrustedDirectory(stat, owners);
    if (why) throw new OperationError(`${dir} ${why}; pvpn-gen writes below it as root: make it yours alone (chown, chmod go-w)`);
    trusted.add(dir);
  }
}

/** The live system: root's own links are followed, and what they point to is checked the same way. */
function checkLiveWay(reader: Reader, parts: readonly string[], owners: ReadonlySet<number>, trusted: Set<string>, hops: number): void {
  if (hops > 40) throw new OperationError(`/${parts.join('/')}: too many levels of symbolic links`);
  if (!trusted.has('/')) {
    const rootInfo = reader.info('/');
    const why = rootInfo ? untrustedDirectory(rootInfo, owners) : 'is missing';
    if (why) throw new OperationError(`/ ${why}`);
    trusted.add('/');
  }
  let dir = '';
  for (const [i, part] of parts.entries()) {
    const parent = dir || '/';
    dir = `${dir}/${part}`;
    if (trusted.has(dir)) continue;
    const stat = reader.info(dir);
    if (stat === null) return;
    if (stat.type === 'symlink') {
      // a link in a directory only root can change was made by root: where it points is checked in turn
      const target = resolve(parent, reader.readlink(dir));
      checkLiveWay(reader, [...target.split('/').filter(Boolean), ...parts.slice(i + 1)], owners, trusted, hops + 1);
      return;
    }
    const why = untrustedDirectory(stat, owners);
    if (why) throw new OperationError(`${dir} ${why}; pvpn-gen writes below it as root, and another user could redirect that: make it root's alone (chown root, chmod go-w)`);
    trusted.add(dir);
  }
}

/**
 * The raw floor for `install --root`: the least a durable installer can do to put the very same tree on disk.
 *   node raw-floor.mjs TREE.json ROOT
 * TREE.json is the snapshot (tree.mjs) of what `pvpn-gen install` left under a root: directories, files (content,
 * mode) and symlinks, the manifest and state files included. ROOT is an empty directory made outside the timing (as
 * for install). Inside the timing, like install: every directory is created, every file is written as a temp file
 * in its own directory (mode, data, fsync) and renamed over its name, every link is made as a temp link and
 * renamed, and at the end each directory is fsynced once so that the renames are durable. Synchronous, one file
 * after the other, as install does. Reading and parsing TREE.json (~3 MB for 1,000 services) is inside the timing
 * too, as install reads and parses its spec.
 */
import { closeSync, constants, fchmodSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, symlinkSync, writeSync } from 'node:fs';

const [treeFile, root] = process.argv.slice(2);
const tree = JSON.parse(readFileSync(treeFile, 'utf8'));

const tempOf = (path) => {
  const slash = path.lastIndexOf('/');
  return `${path.slice(0, slash)}/.${path.slice(slash + 1)}.tmp-${process.pid}`;
};

for (const dir of tree.dirs) mkdirSync(root + dir, { mode: 0o755 }); // parents first (sorted by the snapshot)
for (const [path, mode, content] of tree.files) {
  const temp = tempOf(root + path);
  const fd = openSync(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
  fchmodSync(fd, mode);
  const data = Buffer.from(content, 'utf8');
  for (let offset = 0; offset < data.length; ) offset += writeSync(fd, data, offset);
  fsyncSync(fd);
  closeSync(fd);
  renameSync(temp, root + path);
}
for (const [path, target] of tree.links) {
  const temp = tempOf(root + path);
  symlinkSync(target, temp);
  renameSync(temp, root + path);
}
for (const dir of ['', ...tree.dirs]) {
  const fd = openSync(root + dir, constants.O_RDONLY | constants.O_DIRECTORY);
  fsyncSync(fd);
  closeSync(fd);
}

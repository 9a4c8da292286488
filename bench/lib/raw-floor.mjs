/**
 * The raw floor for `install --root`: the least a durable installer can do to put the very same tree on disk.
 *   node raw-floor.mjs TREE.json ROOT [IN_FLIGHT]
 * TREE.json is the snapshot (tree.mjs) of what `pvpn-gen install` left under a root: directories, files (content,
 * mode) and symlinks, the manifest and state files included. ROOT is an empty directory made outside the timing (as
 * for install). Inside the timing, like install: every directory is created, every file is written as a temp file
 * in its own directory (mode, data, fsync) and renamed over its name, every link is made as a temp link and
 * renamed, and at the end each directory is fsynced once so that the renames are durable. IN_FLIGHT temps are
 * written at a time: 1 (the default) is what a hand-written installer does, one file after the other; 16 is how
 * install writes them (WRITES_IN_FLIGHT in src/system/fs-write.ts, with a thread pool to match), the floor with the
 * same overlap of fsyncs. Reading and parsing TREE.json (~3 MB for 1,000 services) is inside the timing too, as
 * install reads and parses its spec.
 */
import { constants, mkdirSync, openSync, fsyncSync, closeSync, readFileSync, renameSync, symlinkSync } from 'node:fs';
import { open } from 'node:fs/promises';

const [treeFile, root, inFlight = '1'] = process.argv.slice(2);
const IN_FLIGHT = Number(inFlight);
process.env.UV_THREADPOOL_SIZE = String(Math.max(4, IN_FLIGHT)); // before the first asynchronous file call, as in cli/entry.ts
const tree = JSON.parse(readFileSync(treeFile, 'utf8'));

const tempOf = (path) => {
  const slash = path.lastIndexOf('/');
  return `${path.slice(0, slash)}/.${path.slice(slash + 1)}.tmp-${process.pid}`;
};

for (const dir of tree.dirs) mkdirSync(root + dir, { mode: 0o755 }); // parents first (sorted by the snapshot)
let next = 0;
const worker = async () => {
  for (let i = next++; i < tree.files.length; i = next++) {
    const [path, mode, content] = tree.files[i];
    const handle = await open(tempOf(root + path), constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
    await handle.chmod(mode);
    await handle.writeFile(content, 'utf8');
    await handle.sync();
    await handle.close();
  }
};
await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
for (const [path] of tree.files) renameSync(tempOf(root + path), root + path);
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

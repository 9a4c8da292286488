/** Snapshot of a directory tree (relative paths from its root): what install wrote, for raw-floor.mjs and checks. */
import { lstatSync, readFileSync, readdirSync, readlinkSync } from 'node:fs';

export function snapshot(root) {
  const tree = { dirs: [], files: [], links: [] };
  const walk = (rel) => {
    for (const name of readdirSync(root + rel).sort()) {
      const path = `${rel}/${name}`;
      const stat = lstatSync(root + path);
      if (stat.isDirectory()) {
        tree.dirs.push(path);
        walk(path);
      } else if (stat.isSymbolicLink()) tree.links.push([path, readlinkSync(root + path)]);
      else tree.files.push([path, stat.mode & 0o7777, readFileSync(root + path, 'utf8')]);
    }
  };
  walk('');
  return tree;
}

/** The same paths, kinds, modes and link targets (contents may differ: the lock file holds a pid). */
export function sameShape(a, b) {
  const shape = (t) => JSON.stringify([t.dirs, t.files.map(([p, m]) => [p, m]), t.links]);
  return shape(a) === shape(b);
}

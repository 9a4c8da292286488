/** Snapshots of a directory tree (paths, types, modes, contents, link targets), to compare before and after. */
import { lstatSync, readFileSync, readdirSync, readlinkSync } from 'node:fs';

export type TreeEntry =
  | { type: 'dir'; mode: string }
  | { type: 'file'; mode: string; content: string }
  | { type: 'symlink'; target: string };

export function snapshotTree(root: string): Record<string, TreeEntry> {
  const out: Record<string, TreeEntry> = {};
  const walk = (dir: string, rel: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = `${dir}/${name}`;
      const key = `${rel}/${name}`;
      const stat = lstatSync(path);
      const mode = (stat.mode & 0o7777).toString(8).padStart(4, '0');
      if (stat.isSymbolicLink()) out[key] = { type: 'symlink', target: readlinkSync(path) };
      else if (stat.isDirectory()) {
        out[key] = { type: 'dir', mode };
        walk(path, key);
      } else out[key] = { type: 'file', mode, content: readFileSync(path, 'utf8') };
    }
  };
  walk(root, '');
  return out;
}

/** render --out and export: the rendered tree, or an export, written under a directory, each file with its mode. */
import { dirname, resolve } from 'node:path';
import { OperationError } from '../errors.js';
import { isPlainAbsolute } from '../paths.js';
import type { Rendered } from '../render/types.js';
import { atomicSymlink, atomicWriteFile } from './atomic.js';
import { realWritePort } from './fs-write.js';
import { realReader } from './reader.js';

const files = { ...realWritePort, ...realReader };

export function writeRenderedTree(rendered: Rendered, outDir: string, cwd: string): number {
  const root = resolve(cwd, outDir);
  for (const entry of rendered.entries) {
    const path = root + entry.path;
    if (entry.kind === 'file') atomicWriteFile(files, path, entry.content, entry.mode);
    else atomicSymlink(files, path, entry.target);
  }
  return rendered.entries.length;
}

/** The list of what the last export wrote into a directory: a re-export removes what it no longer writes. */
export const EXPORT_RECORD = '.pvpn-gen-export.json';

/**
 * pvpn-gen export: the files under DIR, each replaced atomically with its mode. DIR must be new, empty, or an
 * earlier export's (its record names the files it wrote); the files of that export the new one no longer has go,
 * with the directories they leave empty, so DIR is exactly the export. Returns how many files were written.
 */
export function writeExport(exported: readonly { path: string; content: string; mode: number }[], outDir: string, cwd: string): number {
  const root = resolve(cwd, outDir);
  const recordPath = `${root}/${EXPORT_RECORD}`;
  const entries = files.list(root);
  let previous: string[] = [];
  if (entries !== null && entries.length > 0) {
    const text = files.read(recordPath)?.toString('utf8');
    const parsed = text === undefined ? null : (JSON.parse(text) as unknown);
    if (!Array.isArray(parsed) || !parsed.every((p) => typeof p === 'string' && isPlainAbsolute(`/${p}`))) {
      throw new OperationError(`${outDir} is not empty and holds no ${EXPORT_RECORD} of an earlier export: give a new or empty directory`);
    }
    previous = parsed;
  }
  const now = new Set(exported.map((f) => f.path));
  for (const stale of previous.filter((p) => !now.has(p))) {
    if (files.info(`${root}/${stale}`) === null) continue;
    files.unlink(`${root}/${stale}`);
    for (let dir = dirname(`${root}/${stale}`); dir !== root && (files.list(dir) ?? ['?']).length === 0; dir = dirname(dir)) files.rmdir(dir);
  }
  for (const file of exported) atomicWriteFile(files, `${root}/${file.path}`, file.content, file.mode);
  atomicWriteFile(files, recordPath, `${JSON.stringify([...now].sort(), null, 1)}\n`, 0o644);
  return exported.length;
}

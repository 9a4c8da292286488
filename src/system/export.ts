/** render --out: the rendered tree written under a directory, each file at its install path with its mode. */
import { resolve } from 'node:path';
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

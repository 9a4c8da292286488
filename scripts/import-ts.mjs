// Imports a TypeScript module of src/ from a build script (Node 20 runs no TypeScript): esbuild bundles it in
// memory and it is imported from a data: URL. For plain-data modules (the command list); nothing is written.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** The exports of `path` (relative to the repository). */
export async function importTs(path) {
  const result = await build({ entryPoints: [path], absWorkingDir: root, bundle: true, write: false, format: 'esm', platform: 'node', logLevel: 'warning' });
  const code = result.outputFiles[0].text;
  return import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`);
}

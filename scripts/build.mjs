#!/usr/bin/env node
// Bundles the CLI and the API with esbuild: one small entry chunk plus one chunk per command (dynamic imports),
// so a command loads only what it uses. Run after scripts/generate.mjs (npm run build does both).
import { build } from 'esbuild';
import { rmSync } from 'node:fs';

rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
await build({
  entryPoints: { cli: 'src/cli/entry.ts', index: 'src/index.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minifySyntax: true,
  // cosmiconfig can load TypeScript configs through an optional `typescript` import; we never do (YAML/JSON only).
  external: ['typescript'],
  // CommonJS dependencies (handlebars, ajv's runtime) call require() for Node built-ins.
  banner: { js: "import { createRequire as __pvpnCreateRequire } from 'node:module'; const require = __pvpnCreateRequire(import.meta.url);" },
  chunkNames: 'chunks/[name]-[hash]',
  legalComments: 'none',
  logLevel: 'warning',
});

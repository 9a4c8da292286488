#!/usr/bin/env node
// @ts-check
// The entry people run. It loads the built CLI (dist/cli.js, from `npm run build`) with a V8 code cache, and hands
// the same loader to the CLI for the one command bundle a run needs (dist/commands/NAME.js). Every millisecond here
// is paid by every command: this file is the main module, so it costs no module resolution, and it loads nothing
// but node:fs and node:vm.
//
// Why a code cache: Node 20 has no module.enableCompileCache() (Node 22 does). A cache holds the functions a previous
// run compiled, so a cold start skips most parsing and compiling (render: ~1 ms less for dist/cli.js, ~15 ms less
// for its bundle). The build makes one per bundle; a node whose V8 rejects it (an upgrade) makes a new one once.
'use strict';
const { readFileSync, renameSync, writeFileSync } = require('node:fs');
const { Script } = require('node:vm');

/**
 * Runs a CommonJS bundle as require() would (the wrapper is Module.wrap's, spelled out: node:module costs ~0.2 ms),
 * with `FILE.VARIANT.cache` (or `FILE.cache`) as its code cache: one per kind of run, as render --target systemd
 * and --target runit compile different functions.
 * @param {string} file
 * @param {string | undefined} variant
 * @returns {Record<string, unknown>} the bundle's exports
 */
function loadBundle(file, variant) {
  const cacheFile = variant ? `${file}.${variant}.cache` : `${file}.cache`;
  /** @type {Buffer | undefined} */
  let cachedData;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const source = `(function (exports, require, module, __filename, __dirname) { ${readFileSync(file, 'utf8')}\n});`;
  const script = new Script(source, { filename: file, ...(cachedData ? { cachedData } : {}) });
  const module = { exports: {} };
  // this file's require: the bundles require only Node built-ins and the package's dependencies, which resolve the
  // same from bin/ as from dist/
  script.runInThisContext()(module.exports, require, module, file, file.slice(0, file.lastIndexOf('/')));
  if (!cachedData || script.cachedDataRejected) {
    // after the run, so that the cache also holds what it compiled lazily; best effort: a read-only installation
    // simply runs without one
    process.once('exit', () => {
      try {
        const temp = `${cacheFile}.${process.pid}`;
        writeFileSync(temp, script.createCachedData());
        renameSync(temp, cacheFile);
      } catch {
        // no cache this time
      }
    });
  }
  return module.exports;
}

const cli = `${__dirname}/../dist/cli.js`;
/** @type {{ main(argv: string[], load: typeof loadBundle): Promise<void> }} */
let entry;
try {
  entry = /** @type {any} */ (loadBundle(cli, undefined));
} catch (error) {
  if (/** @type {NodeJS.ErrnoException} */ (error).code !== 'ENOENT') throw error;
  process.stderr.write(`pvpn-gen: ${cli} is missing: run \`npm run build\` in the package first\n`);
  process.exit(70);
}
entry.main(process.argv.slice(2), loadBundle);

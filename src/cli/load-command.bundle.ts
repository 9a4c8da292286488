/**
 * The built CLI's command loader: each command is its own CommonJS bundle (dist/commands/NAME.js), compiled with a
 * V8 code cache kept next to it (NAME.js.cache, made by the build and refreshed when node changes). The cache holds
 * the functions a previous run compiled, so a cold start skips most parsing and compiling: the same idea as
 * Node 22's module.enableCompileCache(), which Node 20 does not have.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Script } from 'node:vm';
import type { CommandModuleName } from './load-command.js';

declare const __dirname: string;
declare const require: NodeJS.Require;

// Module.wrap's text, spelled out: node:module costs ~0.2 ms to load, a tenth of what this loader saves.
const WRAPPER_HEAD = '(function (exports, require, module, __filename, __dirname) { ';
const WRAPPER_TAIL = '\n});';

function loadBundle(file: string, variant: string | undefined): Record<string, unknown> {
  const source = readFileSync(file, 'utf8');
  // one cache per kind of run (render --target systemd and --target runit compile different functions)
  const cacheFile = variant ? `${file}.${variant}.cache` : `${file}.cache`;
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const script = new Script(WRAPPER_HEAD + source + WRAPPER_TAIL, { filename: file, ...(cachedData ? { cachedData } : {}) });
  const module = { exports: {} as Record<string, unknown> };
  // this bundle's own require: the command bundles require only Node built-ins and the package's dependencies,
  // which resolve the same from dist/ as from dist/commands/
  (script.runInThisContext() as (...args: unknown[]) => void)(module.exports, require, module, file, dirname(file));
  // No cache yet (a command the build did not warm) or one from another node: make it from this run.
  if (!cachedData || script.cachedDataRejected) {
    // After the command has run, so the cache also holds what it compiled lazily. Best effort: a read-only
    // installation simply runs without a cache.
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

export async function loadCommandModule(name: CommandModuleName, variant?: string): Promise<Record<string, unknown>> {
  return loadBundle(join(__dirname, 'commands', `${name}.js`), variant && /^[a-z]+$/.test(variant) ? variant : undefined);
}

/**
 * The CLI bundle's entry: runs the command line with the bundle loader bin/pvpn-gen.js hands over.
 * Sets process.exitCode instead of calling process.exit, so pending output is flushed.
 */
import { useBundleLoader, type BundleLoader } from './load-command.js';
import { runCli } from './main.js';

/** Called by bin/pvpn-gen.js with its loader of bundles (code caches), used for the command bundles too. */
export async function main(argv: readonly string[], loadBundle: BundleLoader): Promise<void> {
  // install writes many files at once (see WRITES_IN_FLIGHT); libuv reads this when its thread pool first starts
  process.env.UV_THREADPOOL_SIZE ??= '16';
  useBundleLoader(loadBundle);
  process.exitCode = await runCli(argv);
}

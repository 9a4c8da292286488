/**
 * The CLI bundle's entry: answers --version before anything else is set up, then runs the command line.
 * Sets process.exitCode instead of calling process.exit, so pending output is flushed.
 */
import { VERSION } from '../version.js';
import { processIo } from './io.js';
import { useBundleLoader, type BundleLoader } from './load-command.js';
import { runCli } from './main.js';

/** Called by bin/pvpn-gen.js with its loader of bundles (code caches), used for the command bundles too. */
export async function main(argv: readonly string[], loadBundle: BundleLoader): Promise<void> {
  // install writes many files at once (see WRITES_IN_FLIGHT); libuv reads this when its thread pool first starts
  process.env.UV_THREADPOOL_SIZE ??= '16';
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
    // straight to the descriptor (io.ts): process.stdout would set up a stream (~1 ms) for one line
    processIo().stdout.write(VERSION + '\n');
    return;
  }
  useBundleLoader(loadBundle);
  process.exitCode = await runCli(argv);
}

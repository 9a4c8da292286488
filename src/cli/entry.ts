/**
 * The bundle's entry: answers --version without loading anything else, then hands over to the command table.
 * Sets process.exitCode instead of calling process.exit, so pending output is flushed.
 */
import { VERSION } from '../version.js';

export async function main(argv: readonly string[]): Promise<void> {
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
    process.stdout.write(VERSION + '\n');
    return;
  }
  const { runCli } = await import('./main.js');
  process.exitCode = await runCli(argv);
}

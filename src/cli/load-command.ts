/**
 * Loads one command's module on demand. This is the development (and test) version: a plain dynamic import of the
 * source, src/cli/commands/NAME.ts for command NAME (the command list, commands-table.ts, is the only list). The
 * build swaps in load-command.bundle.ts, which loads each command's own bundle with a V8 code cache.
 */
import { checkedModule } from './command-module.js';
import type { CommandDef, CommandModule } from './define.js';

export type BundleLoader = (file: string, variant: string | undefined) => Record<string, unknown>;

/** The built CLI's hook for bin/pvpn-gen.js's bundle loader; the sources need none (they import). */
export function useBundleLoader(loader: BundleLoader): void {
  void loader;
}

/** `variant` names what the run does (its --target): the bundled loader keeps a code cache per variant. */
export async function loadCommandModule<D extends CommandDef>(command: D, variant?: string): Promise<CommandModule<D>> {
  void variant;
  // @vite-ignore: resolved when it runs (vitest maps .js to the .ts source), not turned into a glob of .js files
  return checkedModule(command, await import(/* @vite-ignore */ `./commands/${command.name}.js`));
}

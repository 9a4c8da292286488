/**
 * The built CLI's command loader: each command is its own CommonJS bundle (dist/commands/NAME.js), run with a V8
 * code cache kept next to it. The loader itself lives in bin/pvpn-gen.js, which loaded this CLI bundle the same way
 * and hands it over (entry.ts): one copy of the code-cache logic, and no module resolution on the way.
 */
import { join } from 'node:path';
import { checkedModule } from './command-module.js';
import type { CommandDef, CommandModule } from './define.js';
import type { BundleLoader } from './load-command.js';

declare const __dirname: string;

let loadBundle: BundleLoader | undefined;

/** Called by entry.ts with the loader bin/pvpn-gen.js passed in. */
export function useBundleLoader(loader: BundleLoader): void {
  loadBundle = loader;
}

export async function loadCommandModule<D extends CommandDef>(command: D, variant?: string): Promise<CommandModule<D>> {
  if (!loadBundle) throw new Error('the command bundles are loaded through bin/pvpn-gen.js');
  const file = join(__dirname, 'commands', `${command.name}.js`);
  return checkedModule(command, loadBundle(file, variant && /^[a-z]+$/.test(variant) ? variant : undefined));
}

/**
 * The built CLI's command loader: each command is its own CommonJS bundle (dist/commands/NAME.js), run with a V8
 * code cache kept next to it. The loader itself lives in bin/pvpn-gen.js, which loaded this CLI bundle the same way
 * and hands it over (entry.ts): one copy of the code-cache logic, and no module resolution on the way.
 */
import { join } from 'node:path';
import type { BundleLoader, CommandModuleName } from './load-command.js';

declare const __dirname: string;

let loadBundle: BundleLoader | undefined;

/** Called by entry.ts with the loader bin/pvpn-gen.js passed in. */
export function useBundleLoader(loader: BundleLoader): void {
  loadBundle = loader;
}

export async function loadCommandModule(name: CommandModuleName, variant?: string): Promise<Record<string, unknown>> {
  if (!loadBundle) throw new Error('the command bundles are loaded through bin/pvpn-gen.js');
  return loadBundle(join(__dirname, 'commands', `${name}.js`), variant && /^[a-z]+$/.test(variant) ? variant : undefined);
}

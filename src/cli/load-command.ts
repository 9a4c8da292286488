/**
 * Loads one command's module on demand. This is the development (and test) version: plain dynamic imports of the
 * sources. The build swaps in load-command.bundle.ts, which loads each command's own bundle with a V8 code cache.
 */
export type CommandModuleName = 'validate' | 'render' | 'schema' | 'init' | 'diff' | 'install' | 'uninstall' | 'status' | 'logs' | 'detect' | 'control';

const MODULES: Readonly<Record<CommandModuleName, () => Promise<unknown>>> = {
  validate: () => import('./commands/validate.js'),
  render: () => import('./commands/render.js'),
  schema: () => import('./commands/schema.js'),
  init: () => import('./commands/init.js'),
  diff: () => import('./commands/diff.js'),
  install: () => import('./commands/install.js'),
  uninstall: () => import('./commands/uninstall.js'),
  status: () => import('./commands/status.js'),
  logs: () => import('./commands/logs.js'),
  detect: () => import('./commands/detect.js'),
  control: () => import('./commands/control.js'),
};

export type BundleLoader = (file: string, variant: string | undefined) => Record<string, unknown>;

/** The built CLI's hook for bin/pvpn-gen.js's bundle loader; the sources need none (they import). */
export function useBundleLoader(loader: BundleLoader): void {
  void loader;
}

/** `variant` names what the run does (its --target): the bundled loader keeps a code cache per variant. */
export async function loadCommandModule(name: CommandModuleName, variant?: string): Promise<Record<string, unknown>> {
  void variant;
  return (await MODULES[name]()) as Record<string, unknown>;
}

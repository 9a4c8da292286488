/**
 * What diff and install both start from: where (--root), the spec, the target (--target, or what the manifest
 * recorded, or what runs here), the rendered files and which services are in scope.
 */
import { manifestsAt, resolveSite, resolveTarget, type Site } from '../system/session.js';
import type { Manifest } from '../plan/types.js';
import type { Rendered } from '../render/types.js';
import type { LoadedSpec } from '../model/load.js';
import { layoutOf, loadFromOptions, renderLoaded, servicesOf } from './common.js';
import type { Io } from './io.js';
import type { PlanOptions } from './commands/diff.js';

export interface InstallInput {
  readonly site: Site;
  readonly spec: LoadedSpec;
  readonly rendered: Rendered;
  /** the services named on the command line, or null for all */
  readonly scope: ReadonlySet<string> | null;
  /** every project's manifest as read now (install reads them again under the lock) */
  readonly manifests: ReadonlyMap<string, Manifest>;
}

export async function installInput(options: PlanOptions & Record<string, unknown>, io: Io): Promise<InstallInput> {
  const site = resolveSite(options.root, io.cwd);
  const spec = await loadFromOptions(options, io);
  const manifests = manifestsAt(site);
  const previous = manifests.get(spec.model.project) ?? null;
  const { target, layout } = resolveTarget(site, options, previous);
  layoutOf({ layout }, target);
  const rendered = renderLoaded(spec, { target, layout, services: servicesOf(options), strict: options.strict }, io);
  const scope = servicesOf(options) ? new Set(rendered.services.map((s) => s.name)) : null;
  return { site, spec, rendered, scope, manifests };
}

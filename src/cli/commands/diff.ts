/**
 * `pvpn-gen diff`: what install would change, as a unified diff, plus conflicts and actions. Read-only.
 * Exit 0 when nothing would change, 1 when something would, 2 on any error (like diff(1)), so CI can use it as a
 * drift check of a checked-in spec.
 */
import { hasChanges } from '../../plan/types.js';
import { manifestsAt, pendingJournal, planInstall, resolveSite, resolveTarget } from '../../apply/session.js';
import { layoutOf, loadFromOptions, renderLoaded, servicesOf } from '../common.js';
import type { GlobalOptions, Io } from '../io.js';
import { showPlan } from '../ui.js';

export const errorExitCode = 2;

export interface PlanOptions extends GlobalOptions {
  readonly target?: string;
  readonly layout?: string;
  readonly root?: string;
  readonly service?: string[];
  readonly force?: boolean;
}

export async function run(options: PlanOptions & Record<string, unknown>, io: Io): Promise<number> {
  const site = resolveSite(options.root, io.cwd);
  const spec = await loadFromOptions(options, io);
  const previous = manifestsAt(site).get(spec.model.project) ?? null;
  const { target, layout } = resolveTarget(site, options, previous);
  layoutOf({ layout }, target);
  const rendered = renderLoaded(spec, { target, layout, services: servicesOf(options), strict: options.strict }, io);
  if (pendingJournal(site.root)) {
    io.stderr.write('pvpn-gen: an interrupted run left a journal; the next install or uninstall finishes it first\n');
  }
  const scope = servicesOf(options) ? new Set(rendered.services.map((s) => s.name)) : null;
  const { plan } = planInstall(site, spec, rendered, { scope, force: Boolean(options.force) });
  showPlan(site, io, { plan });
  return hasChanges(plan) ? 1 : 0;
}

/**
 * `pvpn-gen diff`: what install would change, as a unified diff, plus conflicts and actions. Read-only.
 * Exit 0 when nothing would change, 1 when something would, 2 on any error (like diff(1): the definition's
 * errorExitCode), so CI can use it as a drift check of a checked-in spec.
 */
import { SpecError } from '../../errors.js';
import { hasChanges } from '../../plan/types.js';
import { secretProblems } from '../../system/check-secrets.js';
import { pendingJournal, planInstall } from '../../system/session.js';
import { locateProblems, printWarnings } from '../common.js';
import { installInput } from '../install-input.js';
import { diff } from '../commands-table.js';
import { commandModule } from '../define.js';
import type { GlobalOptions } from '../io.js';
import { writeJson } from '../json.js';
import { planDocument } from '../json-plan.js';
import { showPlan } from '../ui.js';

export interface PlanOptions extends GlobalOptions {
  readonly target?: string;
  readonly layout?: string;
  readonly root?: string;
  readonly service?: string[];
  readonly force?: boolean;
}

export default commandModule(diff, async (options, io) => {
  const { site, spec, rendered, scope, manifests } = await installInput(options, io);
  if (pendingJournal(site.system, site.root)) {
    io.stderr.write('pvpn-gen: an interrupted run left a journal; the next install or uninstall finishes it first\n');
  }
  // what install would refuse, diff refuses too (issue 12: diff called a spec installable that install refused)
  const secrets = locateProblems(secretProblems(site.system, site.root, spec.model, scope), spec);
  printWarnings(secrets.filter((p) => p.severity === 'warning'), spec, io);
  const unsafe = secrets.filter((p) => p.severity === 'error');
  if (unsafe.length > 0) throw new SpecError(unsafe);
  // read-only and without the lock: the manifests installInput read are the state to compare with
  const { plan } = planInstall(site, spec, rendered, { scope, force: Boolean(options.force) }, manifests);
  if (options.json) writeJson(io, 'diff', { target: rendered.target, layout: rendered.layout, root: site.live ? null : site.root, ...planDocument(plan) });
  else showPlan(site, io, { plan });
  return hasChanges(plan) ? 1 : 0;
});

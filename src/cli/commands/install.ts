/**
 * `sudo pvpn-gen install`: validate -> render -> plan -> show the diff -> confirm -> apply atomically -> record ->
 * enable and start. With --root DIR everything lands under DIR (files, manifest, enable links) and nothing starts.
 */
import { planInstall } from '../../system/session.js';
import { applyFlow } from '../apply-flow.js';
import { SpecError } from '../../errors.js';
import { secretProblems } from '../../system/check-secrets.js';
import { locateProblems, printWarnings } from '../common.js';
import { installInput } from '../install-input.js';
import { install } from '../commands-table.js';
import { commandModule } from '../define.js';

export default commandModule(install, async (options, io) => {
  const { site, spec, rendered, scope } = await installInput(options, io);
  const flow = { ...options, start: !options.noStart, verb: 'install' as const };
  const secrets = locateProblems(secretProblems(site.system, site.root, spec.model, scope), spec);
  printWarnings(secrets.filter((p) => p.severity === 'warning'), spec, io);
  const unsafe = secrets.filter((p) => p.severity === 'error');
  if (unsafe.length > 0) throw new SpecError(unsafe);
  // planned under the lock, so the manifests are read again there: a run that waited must see what the other left
  return applyFlow(site, io, flow, (at) => planInstall(at, spec, rendered, { scope, force: Boolean(options.force) }));
});

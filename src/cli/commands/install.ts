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
import type { Io } from '../io.js';
import type { PlanOptions } from './diff.js';

export interface InstallOptions extends PlanOptions {
  readonly yes?: boolean;
  readonly dryRun?: boolean;
  readonly start?: boolean;
  readonly lockWait?: string;
}

export async function run(options: InstallOptions & Record<string, unknown>, io: Io): Promise<number> {
  const { site, spec, rendered, scope } = await installInput(options, io);
  const flow = { ...options, verb: 'install' as const, lockWait: options.lockWait === undefined ? 30 : Number(options.lockWait) };
  const secrets = locateProblems(secretProblems(site.system, site.root, spec.model, scope), spec);
  printWarnings(secrets.filter((p) => p.severity === 'warning'), spec, io);
  const unsafe = secrets.filter((p) => p.severity === 'error');
  if (unsafe.length > 0) throw new SpecError(unsafe);
  // planned under the lock, so the manifests are read again there: a run that waited must see what the other left
  return applyFlow(site, io, flow, (at) => planInstall(at, spec, rendered, { scope, force: Boolean(options.force) }));
}

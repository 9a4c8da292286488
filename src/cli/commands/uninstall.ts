/**
 * `sudo pvpn-gen uninstall [NAME...]`: stop and disable, then remove exactly what the manifest recorded (and runsv's
 * supervise/ directories inside it); files an admin changed since are refused unless --force. Needs no spec: the
 * manifest says what was installed.
 */
import { manifestsAt, planUninstall, resolveSite } from '../../system/session.js';
import { OperationError, UsageError } from '../../errors.js';
import { loadSpec } from '../../model/load.js';
import { applyFlow } from '../apply-flow.js';
import { servicesOf } from '../common.js';
import { uninstall } from '../commands-table.js';
import { commandModule, type OptionsOf } from '../define.js';
import type { Io } from '../io.js';

export default commandModule(uninstall, async (options, io, args) => {
  const site = resolveSite(options.root, io.cwd);
  const flow = { ...options, verb: 'uninstall' as const };
  const manifests = manifestsAt(site);
  const project = await projectOf(options, io, [...manifests.keys()]);
  if (project === null) {
    io.stdout.write('nothing is installed: nothing to uninstall\n');
    return 0;
  }
  const names = servicesOf({}, args);
  const manifest = manifests.get(project);
  if (!manifest) {
    io.stdout.write(`project "${project}" is not installed: nothing to uninstall\n`);
    return 0;
  }
  const installed = manifest.services.map((s) => s.name);
  const unknown = (names ?? []).filter((n) => !installed.includes(n));
  if (unknown.length > 0) throw new OperationError(`not installed: ${unknown.join(', ')}; installed services of project "${project}": ${installed.join(', ')}`);
  return applyFlow(site, io, flow, (at) => {
    // read again under the lock: another run may have changed them while this one waited
    const now = manifestsAt(at);
    const current = now.get(project);
    if (!current) throw new OperationError(`project "${project}" was uninstalled meanwhile`);
    return planUninstall(at, current, { scope: names ? new Set(names) : null, force: Boolean(options.force) }, now);
  });
});

/** --project, else the spec's project (if a spec is given or found), else the only installed project. */
async function projectOf(options: OptionsOf<typeof uninstall>, io: Io, installed: string[]): Promise<string | null> {
  if (options.project) return options.project;
  if (options.spec) return (await loadSpec({ spec: options.spec, cwd: io.cwd, allowCode: options.allowCodeConfig })).model.project;
  try {
    return (await loadSpec({ cwd: io.cwd, allowCode: options.allowCodeConfig })).model.project;
  } catch {
    // no spec around: the manifests decide
  }
  if (installed.length === 0) return null;
  if (installed.length === 1) return installed[0] ?? null;
  throw new UsageError(`several projects are installed (${installed.join(', ')}); choose one with --project NAME`);
}

/** The services the control commands act on: what the manifests of the live system recorded, optionally by name. */
import { manifestsAt, resolveSite } from '../system/session.js';
import { OperationError } from '../errors.js';
import type { ServiceHandle } from '../render/types.js';

export function installedServices(names: readonly string[], project?: string): ServiceHandle[] {
  const manifests = [...manifestsAt(resolveSite(undefined, '/')).values()].filter((m) => !project || m.project === project);
  const all = manifests.flatMap((m) => m.services);
  if (all.length === 0) {
    throw new OperationError(project ? `project "${project}" is not installed here` : 'nothing is installed here (no pvpn-gen manifest under /var/lib/pvpn-gen); run `sudo pvpn-gen install` first');
  }
  if (names.length === 0) return all;
  const unknown = names.filter((n) => !all.some((s) => s.name === n));
  if (unknown.length > 0) throw new OperationError(`not installed: ${unknown.join(', ')}; installed: ${all.map((s) => s.name).join(', ')}`);
  return all.filter((s) => names.includes(s.name));
}

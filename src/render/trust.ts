/**
 * Secrets are read as root (systemd's LoadCredential=/EnvironmentFile=, runit's run script): a secret file inside a
 * directory a service may write could be swapped by that service for a link to any file on the machine, which root
 * would then hand it. Such a spec is refused on every target. And a job that runs as root gets a note saying what
 * the profile leaves it able to do. Pure.
 */
import { pointerOf, type Problem } from '../model/problem.js';
import type { ServiceModel, SpecModel } from '../model/types.js';
import { isWithin } from './runit-paths.js';
import { writablePaths } from './systemd-hardening.js';
import type { TargetName } from './types.js';

export function secretPlacementProblems(model: SpecModel, services: readonly ServiceModel[], target: TargetName): Problem[] {
  const problems: Problem[] = [];
  const writable = model.services.flatMap((s) => [
    ...writablePaths(s).map((path) => ({ path, who: `service "${s.name}" may write it` })),
    ...(target === 'runit' ? [{ path: s.logging.dir, who: `it is the log directory of "${s.name}"` }] : []),
  ]);
  for (const service of services) {
    const secrets: Array<[string[], string]> = [
      ...(service.environmentFile ? [[['environmentFile'], service.environmentFile] as [string[], string]] : []),
      ...service.credentials.map(([name, path]): [string[], string] => [['credentials', name], path]),
    ];
    for (const [key, path] of secrets) {
      const place = writable.find((w) => isWithin(path, w.path));
      if (!place) continue;
      problems.push({
        severity: 'error',
        file: model.specName,
        pointer: pointerOf(['services', service.name, ...key]),
        message: `${path} is inside ${place.path} (${place.who}): root reads this secret, and whatever could be put there instead (a link to /etc/shadow) would be handed to the job; keep secrets in root's own directories, e.g. /etc/${service.name}/`,
      });
    }
  }
  return problems;
}

/** What a job running as root keeps, per target: said at validation, so nobody learns it from a failing job. */
export function rootServiceNote(service: ServiceModel, target: TargetName): string | null {
  if (service.identity.kind !== 'user' || service.identity.user !== 'root') return null;
  if (target === 'runit') {
    return 'user: root: runit cannot take root\'s powers away (no capability bounding set, and without sandbox: bwrap no read-only system): the job can do anything root can; give it a dedicated user if it can do without';
  }
  if (service.hardening.profile === 'strict') {
    return 'user: root under the strict profile: no capabilities (CapabilityBoundingSet= is empty unless hardening.capabilities lists some), a read-only system but for writablePaths, and a user namespace (PrivateUsers=yes): root can read what the sandbox shows and write only its writable paths; list the capabilities it needs, or use profile: basic';
  }
  return null;
}

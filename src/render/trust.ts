/**
 * Secrets are read as root (systemd's LoadCredential=/EnvironmentFile=, runit's run script): a secret file inside a
 * directory a service (or its logger) may write could be swapped for a link to any file on the machine, which root
 * would then hand the job. Such a spec is refused on every target. Pure.
 */
import { pointerOf, type Problem } from '../model/problem.js';
import type { ServiceModel, SpecModel } from '../model/types.js';
import { isWithin, writablePaths } from './service-paths.js';

export function secretPlacementProblems(model: SpecModel, services: readonly ServiceModel[]): Problem[] {
  const problems: Problem[] = [];
  const writable = model.services.flatMap((s) => [
    ...writablePaths(s).map((path) => ({ path, who: `service "${s.name}" may write it` })),
    { path: s.logging.dir, who: `it is the log directory of "${s.name}"` },
  ]);
  for (const service of services) {
    const secrets: Array<[string[], string]> = [
      ...(service.environmentFile ? [[['environmentFile'], service.environmentFile] as [string[], string]] : []),
      ...service.environmentFiles.map(({ path }, i): [string[], string] => [['environmentFiles', String(i)], path]),
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

/**
 * What the sh scripts of runit and s6 may do as root with the service's paths, decided before anything is generated.
 * The scripts run as root next to jobs (and a logger) that do not, so a spec whose paths would have root act inside a
 * directory another user can change is refused here, with the reason, instead of rendered:
 *  - a log directory is the logger's alone: it never overlaps a path any service may write, nor another log directory;
 *  - a service's own directory never nests in (or holds) another service's (the same one is shared by one user);
 *  - a directory nested in one of the same service's own is made by the service user, never by root.
 * Pure.
 */
import { pointerOf, type Problem } from '../model/problem.js';
import type { ServiceModel, SpecModel } from '../model/types.js';
import { isWithin, managedPaths, writablePaths } from '../render/service-paths.js';
import { serviceUserOf } from './sh-user.js';

/** The target as the messages name it, its log program and that program's default user. */
export interface ShLogging {
  readonly target: string;
  readonly logger: string;
  readonly logUser: string;
}

const overlap = (a: string, b: string): boolean => isWithin(a, b) || isWithin(b, a);

/** The service's own directories in creation order; those inside another of its own are made by its user. */
export function ownedDirectories(service: ServiceModel, user: string): Array<{ path: string; byUser: boolean }> {
  const paths = [...new Set(managedPaths(service))].sort();
  return paths.map((path) => ({ path, byUser: user !== 'root' && paths.some((other) => other !== path && isWithin(path, other)) }));
}

/** The problems of the services in `selected` (the other services' paths still count). */
export function shPathProblems(model: SpecModel, selected: ReadonlySet<string>, { target, logger, logUser: defaultLogUser }: ShLogging): Problem[] {
  const problems: Problem[] = [];
  const at = (service: ServiceModel, key: string[], message: string) =>
    selected.has(service.name) &&
    problems.push({ severity: 'error', file: model.specName, pointer: pointerOf(['services', service.name, ...key]), message });
  const derived = new Map<string, string>();
  for (const service of model.services) {
    const user = serviceUserOf(service);
    if (service.identity.kind === 'dynamic') {
      if (user === 'root') at(service, [], `a service named "root" without \`user:\` would run as root on ${target} (its user is named after it): write \`user: root\` if it must, or give it a dedicated user`);
      const other = derived.get(user);
      if (other !== undefined) at(service, [], `${target} names the users of "${other}" and "${service.name}" both ${user}: set \`user:\` on one of them`);
      derived.set(user, service.name);
    }
    const logUser = service.logging.user ?? defaultLogUser;
    if (logUser === 'root') at(service, ['logging', 'user'], `${logger} never runs as root: leave logging.user out (it runs as ${defaultLogUser}) or name another user`);
  }
  for (const service of model.services) {
    const log = service.logging.dir;
    for (const other of model.services) {
      for (const path of writablePaths(other)) {
        if (overlap(log, path)) {
          at(service, ['logging', 'dir'], `the log directory ${log} overlaps ${path}, which service "${other.name}" may write: ${logger}'s directory must be its own (root prepares it, and a job could plant links there); use a directory of its own under /var/log`);
        }
      }
      if (other !== service && overlap(log, other.logging.dir) && service.name < other.name) {
        at(service, ['logging', 'dir'], `services "${service.name}" and "${other.name}" would log to ${log} and ${other.logging.dir}, one inside the other: give each its own directory under /var/log`);
      }
      if (other === service || service.name > other.name) continue;
      const sameUser = serviceUserOf(service) === serviceUserOf(other);
      for (const mine of managedPaths(service)) {
        for (const theirs of managedPaths(other)) {
          // the same directory for two services of one user is a shared state directory; anything else would
          // have one service's run script prepare a directory inside (or around) another user's or service's
          if (!overlap(mine, theirs) || (mine === theirs && sameUser)) continue;
          at(
            service,
            mine === service.workingDirectory ? ['workingDirectory'] : ['hardening', 'writablePaths'],
            `${mine} (service "${service.name}") and ${theirs} (service "${other.name}"${sameUser ? '' : ', another user'}) ${mine === theirs ? 'are the same directory' : 'nest'}: root would prepare one inside a directory the other service owns; give each service its own directory`,
          );
        }
      }
    }
  }
  return problems;
}

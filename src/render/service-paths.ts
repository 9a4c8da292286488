/** The paths a service may write, and which of them are its own directories; the same facts for every target. Pure. */
import type { ServiceModel } from '../model/types.js';

/** Under these, a path is the service's own directory (systemd: StateDirectory=, CacheDirectory=, LogsDirectory=). */
export const MANAGED_BASES: ReadonlyArray<readonly [directive: string, base: string]> = [
  ['StateDirectory', '/var/lib/'],
  ['CacheDirectory', '/var/cache/'],
  ['LogsDirectory', '/var/log/'],
];

/** The paths the service may write: the working directory (its own state), hardening.writablePaths and directories. */
export function writablePaths(service: ServiceModel): string[] {
  const paths = [...service.hardening.writablePaths];
  if (service.workingDirectory && !paths.includes(service.workingDirectory)) paths.unshift(service.workingDirectory);
  // the `directories` field: its own directories, writable as systemd's *Directory= are (runtime ones under /run too)
  for (const { paths: own } of service.directories ?? []) for (const path of own) if (!paths.includes(path)) paths.push(path);
  return paths;
}

/** [directive, path relative to its base] when `path` is one of the service's own directories. */
export function managedBase(path: string): readonly [string, string] | undefined {
  for (const [directive, base] of MANAGED_BASES) {
    if (path.startsWith(base) && path.length > base.length) return [directive, path.slice(base.length)];
  }
  return undefined;
}

/** The service's own directories (under /var/lib, /var/cache, /var/log): made and owned for its user on every target. */
export function managedPaths(service: ServiceModel): string[] {
  return writablePaths(service).filter((p) => managedBase(p) !== undefined);
}

/** a is b or lies below it */
export const isWithin = (a: string, b: string): boolean => a === b || a.startsWith(b.endsWith('/') ? b : `${b}/`);

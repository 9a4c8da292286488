/**
 * What the sh scripts that run as root (runit's run and finish, s6's run and finish) keep as root, per service, and
 * the pieces of the job's launch that do not depend on the supervisor: the copies of credentials and the
 * environment file's variables on /run (a tmpfs: gone at reboot, removed when the service stops), the record of
 * runs `status` reads, the priority and bubblewrap's arguments. Pure.
 */
import type { ServiceModel } from '../model/types.js';
import { STATE_DIR } from '../paths.js';
import { writablePaths } from '../render/service-paths.js';

export const SH_RUNTIME = {
  credentials: '/run/pvpn-gen/credentials',
  environment: '/run/pvpn-gen/environment',
  runs: `${STATE_DIR}/runs`,
  /** the directory above pvpn-gen's state directory, which must be root's alone before runs/ is made in it */
  runsBase: '/var/lib',
} as const;

/** Where root keeps what it hands one service's job, and the record of its runs. */
export function runtimePaths(name: string): { credentials: string; environment: string; runs: string } {
  return {
    credentials: `${SH_RUNTIME.credentials}/${name}`,
    environment: `${SH_RUNTIME.environment}/${name}`,
    runs: `${SH_RUNTIME.runs}/${name}`,
  };
}

/** The paths the stop (finish) and uninstall remove: copies of secrets that must not outlive the service. */
export function handedOver(service: ServiceModel): string[] {
  const paths = runtimePaths(service.name);
  return [...(service.credentials.length > 0 ? [paths.credentials] : []), ...(service.environmentFile || service.environmentFiles?.length ? [paths.environment] : [])];
}

/** A CPU share has no equivalent without cgroups; a lower priority in proportion is the closest: 10% -> nice 17. */
export function niceOf(service: ServiceModel): number | null {
  if (service.nice !== null) return service.nice;
  const cpu = service.limits.cpuPercent;
  if (cpu === null || cpu >= 100) return null;
  return Math.round(19 * (1 - cpu / 100));
}

/** bubblewrap: read-only system, private /tmp, the service's writable paths, network as the spec says. */
export function bwrapArgs(service: ServiceModel): string[] | null {
  if (service.sandbox !== 'bwrap') return null;
  const args = ['--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', '--tmpfs', '/tmp', '--tmpfs', '/var/tmp'];
  for (const path of writablePaths(service)) args.push('--bind-try', path, path);
  if (service.hardening.network === false || service.hardening.network === 'loopback') args.push('--unshare-net');
  args.push('--unshare-ipc', '--unshare-uts', '--new-session', '--die-with-parent', '--');
  return args;
}

/**
 * Per-target facts in one table: where files go, their modes, how a service is enabled. Renderers, the planner and
 * the control drivers read this table instead of switching on the target name.
 */
import type { RunitLayoutName, TargetName } from './types.js';

export const FILE_MODE = {
  /** run, log/run, finish: runsv only starts executable scripts */
  script: 0o755,
  /** unit files: world-readable by design, so secrets never go into them */
  unit: 0o644,
  config: 0o644,
} as const;

export interface RunitLayout {
  readonly name: RunitLayoutName;
  /** where service directories live */
  readonly serviceDir: string;
  /** where the enable link is made (persistent across reboots) */
  readonly enableDir: string;
  /** the directory runsvdir watches now (SVDIR for sv) */
  readonly scanDir: string;
  /** the distribution's way to add a system user */
  readonly distro: string;
}

/** runit-and-systemd facts: Artix enables in runsvdir/default (current runlevel: /run/runit/service). */
export const RUNIT_LAYOUTS: Readonly<Record<RunitLayoutName, RunitLayout>> = {
  artix: {
    name: 'artix',
    serviceDir: '/etc/runit/sv',
    enableDir: '/etc/runit/runsvdir/default',
    scanDir: '/run/runit/service',
    distro: 'Artix',
  },
  void: { name: 'void', serviceDir: '/etc/sv', enableDir: '/var/service', scanDir: '/var/service', distro: 'Void' },
  debian: {
    name: 'debian',
    serviceDir: '/etc/sv',
    enableDir: '/etc/service',
    scanDir: '/etc/service',
    distro: 'Debian',
  },
};

/** The state directory: manifest, journal and lock (under --root when staging). */
export const STATE_DIR = '/var/lib/pvpn-gen';

/**
 * svlogd's user on every layout (Debian's runit package has it; pvpn-gen creates it elsewhere): svlogd never runs
 * as root, since it writes in a directory a root-run svlogd would be redirected from by whoever could plant a link.
 */
export const RUNIT_LOG_USER = '_runit-log';

/**
 * What runit's scripts keep as root, per service: copies of credentials and the environment file's variables on
 * /run (a tmpfs: gone at reboot, removed when the service stops), and the record of runs `status` reads.
 */
export const RUNIT_RUNTIME = {
  credentials: '/run/pvpn-gen/credentials',
  environment: '/run/pvpn-gen/environment',
  runs: `${STATE_DIR}/runs`,
  /** the directory above pvpn-gen's state directory, which must be root's alone before runs/ is made in it */
  runsBase: '/var/lib',
} as const;

/** Where root keeps what it hands one service's job, and the record of its runs. */
export function runitRuntimePaths(name: string): { credentials: string; environment: string; runs: string } {
  return {
    credentials: `${RUNIT_RUNTIME.credentials}/${name}`,
    environment: `${RUNIT_RUNTIME.environment}/${name}`,
    runs: `${RUNIT_RUNTIME.runs}/${name}`,
  };
}

export const DEFAULT_RUNIT_LAYOUT: RunitLayoutName = 'artix';

export const SYSTEMD = {
  unitDir: '/etc/systemd/system',
  /** WantedBy= target of a periodic job's timer and of a daemon's service */
  timerWantedBy: 'timers.target',
  daemonWantedBy: 'multi-user.target',
  sysusersDir: '/etc/sysusers.d',
} as const;

export const TARGET_NAMES: readonly TargetName[] = ['systemd', 'runit'];
export const RUNIT_LAYOUT_NAMES: readonly RunitLayoutName[] = ['artix', 'void', 'debian'];


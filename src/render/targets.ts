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
  /** svlogd runs as this user; null: as root, the layout's own convention */
  readonly logUser: string | null;
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
    logUser: null,
    distro: 'Artix',
  },
  void: { name: 'void', serviceDir: '/etc/sv', enableDir: '/var/service', scanDir: '/var/service', logUser: null, distro: 'Void' },
  debian: {
    name: 'debian',
    serviceDir: '/etc/sv',
    enableDir: '/etc/service',
    scanDir: '/etc/service',
    logUser: '_runit-log',
    distro: 'Debian',
  },
};

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

/** The state directory: manifest, journal and lock (under --root when staging). */
export const STATE_DIR = '/var/lib/pvpn-gen';

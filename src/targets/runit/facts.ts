/**
 * runit's facts (../shared/recipes/runit-and-systemd-facts.md): where each distribution keeps service directories
 * and enables them, and who runs svlogd (what the generated scripts keep as root: ../sh-runtime.ts).
 */
export interface RunitLayout {
  readonly name: string;
  /** where service directories live */
  readonly serviceDir: string;
  /** where the enable link is made (persistent across reboots) */
  readonly enableDir: string;
  /** the directory runsvdir watches now (SVDIR for sv) */
  readonly scanDir: string;
  /** the distribution, for messages */
  readonly distro: string;
}

/** Artix enables in runsvdir/default (its current runlevel, /run/runit/service, points there). */
export const RUNIT_LAYOUTS: Readonly<Record<string, RunitLayout>> = {
  artix: { name: 'artix', serviceDir: '/etc/runit/sv', enableDir: '/etc/runit/runsvdir/default', scanDir: '/run/runit/service', distro: 'Artix' },
  void: { name: 'void', serviceDir: '/etc/sv', enableDir: '/var/service', scanDir: '/var/service', distro: 'Void' },
  debian: { name: 'debian', serviceDir: '/etc/sv', enableDir: '/etc/service', scanDir: '/etc/service', distro: 'Debian' },
};

export const DEFAULT_RUNIT_LAYOUT = 'artix';

/** The layout of that name (a recorded or given name that is not one is the default's: callers validate names). */
export function runitLayout(name: string | null): RunitLayout {
  return (name !== null && Object.hasOwn(RUNIT_LAYOUTS, name) ? RUNIT_LAYOUTS[name] : undefined) ?? (RUNIT_LAYOUTS[DEFAULT_RUNIT_LAYOUT] as RunitLayout);
}

/**
 * svlogd's user on every layout (Debian's runit package has it; pvpn-gen creates it elsewhere): svlogd never runs
 * as root, since it writes in a directory a root-run svlogd would be redirected from by whoever could plant a link.
 */
export const RUNIT_LOG_USER = '_runit-log';

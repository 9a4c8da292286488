/**
 * The names of the targets and their layouts, as plain data: what the command table offers (--target, --layout)
 * without loading any target's code. src/targets/index.ts maps each name to its implementation.
 */
// in detection order: dinit's control socket and OpenRC's /run/openrc tell that they run; runit's directories may be
// there when it does not; s6-rc last, as Debian's s6 package may be installed beside another init
export const TARGET_NAMES = ['systemd', 'dinit', 'openrc', 'runit', 's6'] as const;
export type TargetName = (typeof TARGET_NAMES)[number];

/** Each target's layouts, the default first ([] : one way only). */
export const TARGET_LAYOUTS: Readonly<Record<TargetName, readonly string[]>> = {
  systemd: [],
  runit: ['artix', 'void', 'debian'],
  dinit: [],
  openrc: [],
  s6: [],
};

export function isTargetName(name: unknown): name is TargetName {
  return typeof name === 'string' && (TARGET_NAMES as readonly string[]).includes(name);
}

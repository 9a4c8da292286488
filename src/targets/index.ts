/**
 * The targets: one row per init system. Adding one is a folder beside these (src/targets/NAME/ and
 * templates/NAME/), its name in names.ts, and a row here (ARCHITECTURE.md walks through it). Nothing outside
 * src/targets/ asks which target it has: it asks the target (a test keeps it so).
 */
import { TARGET_NAMES, type TargetName } from './names.js';
import { dinit } from './dinit/index.js';
import { openrc } from './openrc/index.js';
import { runit } from './runit/index.js';
import { s6 } from './s6/index.js';
import { systemd } from './systemd/index.js';
import type { Target } from './target.js';

export const TARGETS: Readonly<Record<TargetName, Target>> = { systemd, runit, dinit, openrc, s6 };

/** In table order: the order detection asks them in, and the matrix's columns. */
export const ALL_TARGETS: readonly Target[] = TARGET_NAMES.map((name) => TARGETS[name]);

export function targetNamed(name: TargetName): Target {
  return TARGETS[name];
}

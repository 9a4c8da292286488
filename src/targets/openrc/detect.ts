/**
 * Whether OpenRC runs here: /run/openrc/softlevel (the current runlevel, written by a running OpenRC), or, staged
 * or not yet booted, /etc/init.d beside /etc/runlevels (Debian's sysvinit has /etc/init.d but no runlevels
 * directory). openrc-init or supervise-daemon among the processes says so too. Pure.
 */
import type { Detection, InitFacts } from '../target.js';
import { OPENRC } from './facts.js';

const RUNLEVELS = '/etc/runlevels';

export const OPENRC_DETECT_PATHS: readonly string[] = [OPENRC.softlevel, OPENRC.initDir, RUNLEVELS];

export function detectOpenrc(facts: InitFacts): Detection {
  const reasons: string[] = [];
  const running = facts.processes.filter((argv) => /(^|\/)(openrc-init|supervise-daemon)$/.test(argv[0] ?? '')).map((argv) => argv[0]);
  if (running.length > 0) reasons.push(`${[...new Set(running)].join(', ')} running`);
  if (facts.existing.has(OPENRC.softlevel)) {
    reasons.push(`${OPENRC.softlevel} exists: OpenRC has entered a runlevel`);
    return { found: true, layout: null, reasons };
  }
  if (facts.existing.has(OPENRC.initDir) && facts.existing.has(RUNLEVELS)) {
    reasons.push(`${OPENRC.initDir} and ${RUNLEVELS} exist: OpenRC's layout`);
    return { found: true, layout: null, reasons };
  }
  return { found: false, reasons: [...reasons, `no OpenRC found (looked for ${OPENRC.softlevel}, and ${OPENRC.initDir} with ${RUNLEVELS})`] };
}

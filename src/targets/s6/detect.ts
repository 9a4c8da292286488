/**
 * Whether s6-rc runs here: the admin's source directory, the live state s6-rc-init leaves (/run/s6-rc), and
 * s6-svscan running (as PID 1 on Artix). Pure. (Artix's newer s6-frontend layout is not handled: README.)
 */
import type { Detection, InitFacts } from '../target.js';
import { S6_FACTS } from './facts.js';

export const S6_DETECT_PATHS: readonly string[] = [S6_FACTS.sourceDir, S6_FACTS.liveDir, `${S6_FACTS.scanDir}/.s6-svscan`];

export function detectS6(facts: InitFacts): Detection {
  const reasons: string[] = [];
  if (facts.processes.some((argv) => argv[0]?.endsWith('s6-svscan'))) reasons.push('s6-svscan is running');
  const sources = facts.existing.has(S6_FACTS.sourceDir);
  const live = facts.existing.has(S6_FACTS.liveDir);
  if (sources && (live || !facts.live)) {
    reasons.push(`${S6_FACTS.sourceDir} exists${live ? ` and s6-rc's live state ${S6_FACTS.liveDir} too` : ''}: Artix's s6-rc layout`);
    return { found: true, layout: null, reasons };
  }
  return { found: false, reasons: [...reasons, `no s6-rc layout found (looked for ${S6_FACTS.sourceDir} with ${S6_FACTS.liveDir})`] };
}

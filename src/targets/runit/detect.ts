/** Whether runit runs here, and in which layout: its directories, and the directory a running runsvdir scans. Pure. */
import type { Detection, InitFacts } from '../target.js';
import { RUNIT_LAYOUTS } from './facts.js';

/** Artix first: its /etc/runit/sv is unambiguous; Void and Debian share /etc/sv and differ in the enable directory. */
const ORDER = ['artix', 'void', 'debian'] as const;

export const RUNIT_DETECT_PATHS: readonly string[] = ORDER.flatMap((n) => {
  const l = RUNIT_LAYOUTS[n];
  return l ? [l.serviceDir, l.enableDir, l.scanDir] : [];
});

export function detectRunit(facts: InitFacts): Detection {
  const reasons: string[] = [];
  const scanning = facts.processes.filter((argv) => argv[0]?.endsWith('runsvdir')).map((argv) => argv.slice(1).find((a) => a.startsWith('/')) ?? '?');
  if (scanning.length > 0) reasons.push(`runsvdir is running (scanning ${scanning.join(', ')})`);
  const matches = ORDER.filter((name) => {
    const l = RUNIT_LAYOUTS[name];
    return l !== undefined && facts.existing.has(l.serviceDir) && (facts.existing.has(l.enableDir) || facts.existing.has(l.scanDir));
  });
  const layout = matches.find((name) => scanning.includes(RUNIT_LAYOUTS[name]?.scanDir ?? '')) ?? matches[0];
  const l = layout ? RUNIT_LAYOUTS[layout] : undefined;
  if (layout && l) {
    reasons.push(`${l.serviceDir} and ${facts.existing.has(l.enableDir) ? l.enableDir : l.scanDir} exist: the ${l.distro} runit layout`);
    return { found: true, layout, reasons };
  }
  const looked = ORDER.map((n) => `${RUNIT_LAYOUTS[n]?.serviceDir} with ${RUNIT_LAYOUTS[n]?.enableDir}`).join('; ');
  return { found: false, reasons: [...reasons, `no runit layout found (looked for ${looked})`] };
}

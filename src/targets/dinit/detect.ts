/** Whether dinit runs here: its control socket (live), or Artix's layout with its boot service (offline). Pure. */
import type { Detection, InitFacts } from '../target.js';
import { DINIT } from './facts.js';

const BOOT = `${DINIT.serviceDir}/${DINIT.bootService}`;

export const DINIT_DETECT_PATHS: readonly string[] = [DINIT.socket, DINIT.serviceDir, BOOT, DINIT.bootDir];

export function detectDinit(facts: InitFacts): Detection {
  const reasons: string[] = [];
  const running = facts.processes.some((argv) => /(^|\/)dinit$/.test(argv[0] ?? ''));
  if (facts.existing.has(DINIT.socket)) {
    return { found: true, layout: null, reasons: [`${DINIT.socket} exists: dinit runs${running ? '' : ' (its control socket)'}`] };
  }
  if (running) reasons.push('a dinit process runs, but not the system instance (no control socket)');
  if (!facts.live && facts.existing.has(BOOT) && facts.existing.has(DINIT.bootDir)) {
    return { found: true, layout: null, reasons: [...reasons, `${BOOT} and ${DINIT.bootDir} exist: the Artix dinit layout`] };
  }
  return { found: false, reasons: [...reasons, `no dinit: ${DINIT.socket} does not exist${facts.live ? '' : `, nor ${BOOT} with ${DINIT.bootDir}`}`] };
}

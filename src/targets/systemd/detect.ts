/** Whether systemd runs here: /run/systemd/system exists only when it is PID 1 (sd_booted(3)). Pure. */
import type { Detection, InitFacts } from '../target.js';

export const SYSTEMD_DETECT_PATHS: readonly string[] = ['/run/systemd/system'];

export function detectSystemd(facts: InitFacts): Detection {
  return facts.existing.has('/run/systemd/system')
    ? { found: true, layout: null, reasons: ['/run/systemd/system exists: systemd is PID 1'] }
    : { found: false, reasons: ['/run/systemd/system does not exist: systemd is not running'] };
}

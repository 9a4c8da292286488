/** `pvpn-gen detect`: which init system runs here, and why (the rules in system/detect.ts). */
import { decide, readFacts } from '../../system/detect.js';
import { resolveSite } from '../../system/session.js';
import { detect } from '../commands-table.js';
import { commandModule } from '../define.js';
import { writeJson } from '../json.js';

const NOT_FOUND = 'no supported init system found; pass --target systemd or --target runit to the commands';

export default commandModule(detect, async (options, io) => {
  const site = resolveSite(options.root, io.cwd);
  const detection = decide(readFacts(site.system, site.root, site.live));
  if (options.json) {
    const found = detection.ok ? { target: detection.target, layout: detection.layout } : { target: null, layout: null };
    writeJson(io, 'detect', { found: detection.ok, ...found, reasons: detection.reasons });
  } else {
    for (const reason of detection.reasons) io.stdout.write(`  ${reason}\n`);
    if (detection.ok) io.stdout.write(`${detection.target}${detection.layout ? ` (${detection.layout} layout)` : ''}\n`);
  }
  if (!detection.ok) io.stderr.write(`pvpn-gen: ${NOT_FOUND}\n`);
  return detection.ok ? 0 : 1;
});

/** `pvpn-gen detect`: which init system runs here, and why (the rules in control/detect.ts). */
import { decide, readFacts } from '../../system/detect.js';
import { resolveSite } from '../../system/session.js';
import { detect } from '../commands-table.js';
import { commandModule } from '../define.js';

export default commandModule(detect, async (options, io) => {
  const site = resolveSite(options.root, io.cwd);
  const detection = decide(readFacts(site.root, site.live));
  for (const reason of detection.reasons) io.stdout.write(`  ${reason}\n`);
  if (!detection.ok) {
    io.stderr.write('pvpn-gen: no supported init system found; pass --target systemd or --target runit to the commands\n');
    return 1;
  }
  io.stdout.write(`${detection.target}${detection.layout ? ` (${detection.layout} layout)` : ''}\n`);
  return 0;
});

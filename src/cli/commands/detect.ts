/** `pvpn-gen detect`: which init system runs here, and why (the rules in control/detect.ts). */
import { decide, readFacts } from '../../system/detect.js';
import { resolveSite } from '../../system/session.js';
import type { Io } from '../io.js';

export async function run(options: { root?: string }, io: Io): Promise<number> {
  const site = resolveSite(options.root, io.cwd);
  const detection = decide(readFacts(site.system, site.root, site.live));
  for (const reason of detection.reasons) io.stdout.write(`  ${reason}\n`);
  if (!detection.ok) {
    io.stderr.write('pvpn-gen: no supported init system found; pass --target systemd or --target runit to the commands\n');
    return 1;
  }
  io.stdout.write(`${detection.target}${detection.layout ? ` (${detection.layout} layout)` : ''}\n`);
  return 0;
}

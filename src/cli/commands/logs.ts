/** `pvpn-gen logs NAME [-f] [-n N]`: what the service's target shows (journalctl, the svlogd `current` file). */
import { runAttached, runFiltered } from '../../system/exec.js';
import { targetNamed } from '../../targets/index.js';
import { escapeControls } from '../terminal-text.js';
import { UsageError } from '../../errors.js';
import { logs } from '../commands-table.js';
import { commandModule } from '../define.js';
import { installedServices } from '../installed.js';

export default commandModule(logs, async (options, io, args) => {
  const services = installedServices(args, options.project);
  if (services.length !== 1) throw new UsageError(`name one service: ${services.map((s) => s.name).join(', ')}`);
  const { lines } = options;
  const service = services[0] as (typeof services)[0];
  const [program, ...rest] = targetNamed(service.target).logs(service, { follow: options.follow, lines }).argv;
  // The lines are the job's own output: on a terminal its control characters are shown, not obeyed. Into a file or
  // a pipe they pass unchanged, as written.
  if (!io.stdout.isTTY) return runAttached(program as string, rest);
  return runFiltered(program as string, rest, (text) => io.stdout.write(escapeControls(text)));
});

/** `pvpn-gen logs NAME [-f] [-n N]`: what the service's target shows (journalctl, the svlogd `current` file). */
import { runAttached, runFiltered } from '../../system/exec.js';
import { targetNamed } from '../../targets/index.js';
import { escapeControls } from '../terminal-text.js';
import { UsageError } from '../../errors.js';
import type { Io } from '../io.js';
import { installedServices } from '../installed.js';

export async function run(options: { follow?: boolean; lines?: string; project?: string }, io: Io, args: string[]): Promise<number> {
  const services = installedServices(args, options.project);
  if (services.length !== 1) throw new UsageError(`name one service: ${services.map((s) => s.name).join(', ')}`);
  const lines = Number(options.lines ?? '50');
  if (!Number.isInteger(lines) || lines < 0) throw new UsageError('-n takes a whole number of lines');
  const service = services[0] as (typeof services)[0];
  const [program, ...rest] = targetNamed(service.target).logs(service, { follow: Boolean(options.follow), lines }).argv;
  // The lines are the job's own output: on a terminal its control characters are shown, not obeyed. Into a file or
  // a pipe they pass unchanged, as written.
  if (!io.stdout.isTTY) return runAttached(program as string, rest);
  return runFiltered(program as string, rest, (text) => io.stdout.write(escapeControls(text)));
}

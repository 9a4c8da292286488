/** `pvpn-gen logs NAME [-f] [-n N]`: journalctl for systemd, the svlogd `current` file for runit. */
import { logsArgv } from '../../control/drivers.js';
import { runAttached } from '../../control/exec.js';
import { UsageError } from '../../errors.js';
import type { Io } from '../io.js';
import { installedServices } from '../installed.js';

export async function run(options: { follow?: boolean; lines?: string; project?: string }, _io: Io, args: string[]): Promise<number> {
  const services = installedServices(args, options.project);
  if (services.length !== 1) throw new UsageError(`name one service: ${services.map((s) => s.name).join(', ')}`);
  const lines = Number(options.lines ?? '50');
  if (!Number.isInteger(lines) || lines < 0) throw new UsageError('-n takes a whole number of lines');
  const [program, ...rest] = logsArgv(services[0] as (typeof services)[0], { follow: Boolean(options.follow), lines });
  return runAttached(program as string, rest);
}

/**
 * `pvpn-gen start|stop|restart|run-now [NAME...]`: the same verbs on every init system (each target's `control`).
 * Each verb is its own command module (commands/start.ts...), all running this.
 */
import { realSystem } from '../system/port.js';
import { targetNamed } from '../targets/index.js';
import type { Command, ControlVerb } from '../targets/target.js';
import { OperationError } from '../errors.js';
import type { Io } from './io.js';
import { installedServices } from './installed.js';

function run(command: Command) {
  const [program, ...rest] = command.argv;
  return realSystem.run(program as string, rest, command.env ? { env: { ...process.env, ...command.env } } : {});
}

export function runVerb(verb: ControlVerb) {
  return async (options: { readonly project?: string | undefined }, io: Io, args: string[]): Promise<number> => {
    const services = installedServices(args, options.project);
    let failed = 0;
    for (const service of services) {
      const command = targetNamed(service.target).control(service, verb);
      if (!command) {
        if (args.length > 0) throw new OperationError(`${service.name} is a daemon, it has no runs to start now; use \`pvpn-gen restart ${service.name}\``);
        continue; // `run-now` without names: every periodic job
      }
      let result = await run(command);
      let argv = command.argv;
      if (result.exitCode !== 0 && command.otherwise) {
        result = await run(command.otherwise);
        argv = command.otherwise.argv;
      }
      const output = (result.stdout + result.stderr).trim();
      if (result.exitCode === 0) {
        io.stdout.write(`${service.name}: ${verb === 'run-now' ? 'run started' : `${verb} done`}${output ? ` (${output.split('\n')[0]})` : ''}\n`);
      } else {
        failed++;
        io.stderr.write(`pvpn-gen: ${service.name}: ${argv.join(' ')} failed (exit ${result.exitCode})${output ? `: ${output}` : ''}\n`);
      }
    }
    return failed > 0 ? 1 : 0;
  };
}

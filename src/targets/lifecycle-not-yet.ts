/**
 * The lifecycle fields of issue 12 on a target that does not render them yet (OpenRC, dinit, s6): one capability row
 * each, and a refusal for the fields whose absence would change what the service does (a forking daemon restarted
 * in a loop, a oneshot job restarted for ever, start-up steps skipped). The rest only tune it and stay warnings.
 */
import { pointerOf, type Problem } from '../model/problem.js';
import type { SpecModel } from '../model/types.js';
import type { CapabilityRow } from './target.js';

/** key -> why leaving it out changes the service: these are refused. */
const REFUSED: Readonly<Record<string, string>> = {
  forking: 'the supervisor would see the daemon exit at once and restart it',
  oneshot: 'the job would be restarted each time it ends',
  remainAfterExit: 'it only applies to oneshot services',
  requires: 'the service would start without the services it needs',
  environmentFiles: 'the service would start without the variables they set',
  directories: 'the directories would not exist',
  reload: 'a reload would send HUP instead of what the spec says',
  beforeStart: 'the start-up steps would be skipped',
  stop: 'the stop commands would be skipped',
  afterStop: 'the steps after stop would be skipped',
};

/** key -> what happens instead: these are warnings. */
const IGNORED: Readonly<Record<string, string>> = {
  readiness: 'no readiness protocol: the service counts as up once started',
  before: 'no ordering of other services after this one',
  exitStatus: 'every exit counts as the supervisor counts it',
  restartLimit: 'restarts without limit',
  stopSignal: 'stopped with TERM',
  timeouts: "the supervisor's own start and stop timeouts",
  documentation: 'not written anywhere',
  killMode: "the supervisor's own way of stopping",
  conflicts: 'both may run at once',
  wantedBy: 'an enabled service starts at boot, whatever the target',
};

/** The rows for `target`'s capability table. */
export function lifecycleNotYetRows(target: string): Record<string, CapabilityRow> {
  const rows: Record<string, CapabilityRow> = {};
  for (const [key, why] of Object.entries(REFUSED)) rows[key] = ['none', `refused: pvpn-gen does not render ${key} for ${target} yet (${why})`];
  for (const [key, instead] of Object.entries(IGNORED)) rows[key] = ['none', `not rendered for ${target} yet: ${instead}`];
  return rows;
}

/** An error for every refused field a selected service sets, naming the fix. */
export function lifecycleNotYetProblems(target: string, model: SpecModel, selected: ReadonlySet<string>): Problem[] {
  return model.services
    .filter((service) => selected.has(service.name))
    .flatMap((service) =>
      Object.entries(REFUSED)
        .filter(([key]) => service.setKeys.has(key))
        .map(([key, why]) => ({
          severity: 'error' as const,
          file: model.specName,
          pointer: pointerOf(['services', service.name, key]),
          message: `${key}: pvpn-gen does not render this for ${target} yet, and leaving it out would be wrong (${why}): use --target systemd or runit, or remove ${key}`,
        })),
    );
}

/**
 * dinit (Artix's layout): a service description in /etc/dinit.d whose command is a run script pvpn-gen keeps in
 * root's own directory, enabled by a link in the boot service's waits-for.d, controlled with dinitctl. The script runs
 * as root next to a job that does not (SECURITY in README.md), as runit's does.
 */
import { pointerOf } from '../../model/problem.js';
import type { Target } from '../target.js';
import { lifecycleNotYetProblems } from '../lifecycle-not-yet.js';
import { shPathProblems } from '../sh-paths.js';
import { runtimePaths } from '../sh-runtime.js';
import { dinitActions, dinitCreateAccounts } from './actions.js';
import { DINIT_CAPABILITIES, DINIT_SANDBOXED_CAPABILITIES } from './capabilities.js';
import { DINIT_DETECT_PATHS, detectDinit } from './detect.js';
import { asDinit, dinitHandleOk } from './handle.js';
import { renderDinitService } from './render.js';
import { dinitStatus } from './status.js';

export const dinit: Target = {
  name: 'dinit',
  layouts: [],
  capabilities: DINIT_CAPABILITIES,
  sandboxedCapabilities: DINIT_SANDBOXED_CAPABILITIES,
  // the paths rules of every root-run sh script; dinit writes the log itself (logging.dir is not used)
  checkSpec: (model, selected) => [
    ...shPathProblems(model, selected, { target: 'dinit', logger: 'the logger', logUser: 'nobody' }).filter((p) => !p.pointer.includes('/logging')),
    ...lifecycleNotYetProblems('dinit', model, selected),
  ],
  notes(service, strict, specName) {
    if (service.identity.kind !== 'user' || service.identity.user !== 'root') return [];
    const message =
      "user: root: dinit cannot take root's powers away (no capability bounding set, and without sandbox: bwrap no read-only system): the job can do anything root can; give it a dedicated user if it can do without";
    return [{ severity: strict ? 'error' : 'warning', file: specName, pointer: pointerOf(['services', service.name, 'user']), message }];
  },
  render: (service, model, _layout, templates, problems) => renderDinitService(service, model, templates, problems),
  handleOk: dinitHandleOk,
  actions: dinitActions,
  createAccounts: dinitCreateAccounts,
  // dinit reads a description when it loads or reloads it (an action after the files), never while they change
  relinkWhileChanging: () => null,
  leftovers(handle) {
    // what the run script kept as root: the copies of its secrets (removed when it stops; a killed one leaves
    // them) and its record of runs
    const kept = runtimePaths(asDinit(handle).name);
    return [kept.credentials, kept.environment, kept.runs];
  },
  control(handle, verb) {
    const s = asDinit(handle);
    if (verb === 'run-now') return s.periodic ? { argv: ['dinitctl', 'signal', 'HUP', s.name] } : null;
    // `dinitctl restart` refuses a stopped service; a restart starts it, as systemctl restart does
    if (verb === 'restart') return { argv: ['dinitctl', 'restart', s.name], otherwise: { argv: ['dinitctl', 'start', s.name] } };
    return { argv: ['dinitctl', verb, s.name] };
  },
  logs(handle, { follow, lines }) {
    return { argv: ['tail', '-n', String(lines), ...(follow ? ['-F'] : []), asDinit(handle).logFile] };
  },
  status: (handle, port) => dinitStatus(asDinit(handle), port),
  detectPaths: DINIT_DETECT_PATHS,
  detect: detectDinit,
  // dinit as PID 1 under its own name; started as /sbin/init (a link to it), PID 1 is `init` and Ansible guesses
  // sysvinit: the inventory names the target then
  pid1Names: ['dinit'],
};

/**
 * runit (Artix, Void and Debian layouts): a service directory with run, finish and log/run, enabled by a link in
 * the scan directory, controlled with sv. The scripts run as root next to jobs that do not (SECURITY in README.md).
 */
import { pointerOf } from '../../model/problem.js';
import type { Target } from '../target.js';
import { runitActions, runitCreateAccounts } from './actions.js';
import { RUNIT_CAPABILITIES, RUNIT_SANDBOXED_CAPABILITIES } from './capabilities.js';
import { detectRunit, RUNIT_DETECT_PATHS } from './detect.js';
import { shPathProblems } from '../sh-paths.js';
import { runtimePaths } from '../sh-runtime.js';
import { RUNIT_LOG_USER, runitLayout } from './facts.js';
import { asRunit, runitHandleOk } from './handle.js';
import { renderRunitService } from './render.js';
import { runitStatus } from './status.js';

/** the generated loop turns HUP into an immediate run */
const VERBS = { start: 'start', stop: 'stop', restart: 'restart', 'run-now': 'hup' } as const;

export const runit: Target = {
  name: 'runit',
  layouts: ['artix', 'void', 'debian'],
  capabilities: RUNIT_CAPABILITIES,
  sandboxedCapabilities: RUNIT_SANDBOXED_CAPABILITIES,
  checkSpec: (model, selected) => shPathProblems(model, selected, { target: 'runit', logger: 'svlogd', logUser: RUNIT_LOG_USER }),
  notes(service, strict, specName) {
    if (service.identity.kind !== 'user' || service.identity.user !== 'root') return [];
    const message =
      "user: root: runit cannot take root's powers away (no capability bounding set, and without sandbox: bwrap no read-only system): the job can do anything root can; give it a dedicated user if it can do without";
    return [{ severity: strict ? 'error' : 'warning', file: specName, pointer: pointerOf(['services', service.name, 'user']), message }];
  },
  render: (service, model, layout, templates, problems) => renderRunitService(service, model, runitLayout(layout), templates, problems),
  handleOk: runitHandleOk,
  actions: runitActions,
  createAccounts: runitCreateAccounts,
  relinkWhileChanging(handle) {
    const s = asRunit(handle);
    return { link: s.enableLink, target: s.serviceDir };
  },
  leftovers(handle) {
    const s = asRunit(handle);
    // runsv's own state, and what the scripts kept as root: the copies of its secrets (finish removes them when it
    // stops; a service that was killed leaves them) and its record of runs
    const kept = runtimePaths(s.name);
    return [`${s.serviceDir}/log/supervise`, `${s.serviceDir}/supervise`, kept.credentials, kept.environment, kept.runs];
  },
  control(handle, verb) {
    const s = asRunit(handle);
    if (verb === 'run-now' && !s.periodic) return null;
    // absolute paths: SVDIR does not matter
    return { argv: ['sv', VERBS[verb], s.serviceDir] };
  },
  logs(handle, { follow, lines }) {
    return { argv: ['tail', '-n', String(lines), ...(follow ? ['-F'] : []), `${asRunit(handle).logDir}/current`] };
  },
  status: (handle, port) => runitStatus(asRunit(handle), port),
  detectPaths: RUNIT_DETECT_PATHS,
  detect: detectRunit,
  // runit-init execs runit as PID 1 (runit-init(8)); a container's PID 1 may be runsvdir itself
  pid1Names: ['runit', 'runit-init', 'runsvdir'],
};

/**
 * s6 with s6-rc (Artix, the s6-rc 0.5 era): two longruns per service in /etc/s6/adminsv, NAME-srv and its logger
 * NAME-log, in a pipeline NAME that the `default` bundle lists; installed by recompiling the database and switching
 * to it with s6-rc-update; controlled with s6-rc and s6-svc. The scripts run as root next to jobs that do not
 * (SECURITY in README.md).
 */
import { pointerOf } from '../../model/problem.js';
import { lifecycleNotYetProblems } from '../lifecycle-not-yet.js';
import { shPathProblems } from '../sh-paths.js';
import { runtimePaths } from '../sh-runtime.js';
import type { Target } from '../target.js';
import { s6Actions, s6CreateAccounts } from './actions.js';
import { S6_CAPABILITIES, S6_SANDBOXED_CAPABILITIES } from './capabilities.js';
import { detectS6, S6_DETECT_PATHS } from './detect.js';
import { S6_LOG_USER } from './facts.js';
import { asS6, s6HandleOk } from './handle.js';
import { renderS6Service } from './render.js';
import { s6Status } from './status.js';

/** s6-svc's commands: -u/-d wait (-w) until s6-supervise reports the change; the generated loop turns HUP into a run */
const SVC = {
  start: ['-wu', '-T', '15000', '-u'],
  stop: ['-wD', '-T', '15000', '-d'],
  // up first: a stopped service is started, a running one is stopped and started again
  restart: ['-u', '-r'],
  'run-now': ['-h'],
} as const;

export const s6: Target = {
  name: 's6',
  layouts: [],
  capabilities: S6_CAPABILITIES,
  sandboxedCapabilities: S6_SANDBOXED_CAPABILITIES,
  checkSpec: (model, selected) => [
    ...shPathProblems(model, selected, { target: 's6', logger: 's6-log', logUser: S6_LOG_USER }),
    ...lifecycleNotYetProblems('s6', model, selected),
  ],
  notes(service, strict, specName) {
    if (service.identity.kind !== 'user' || service.identity.user !== 'root') return [];
    const message =
      "user: root: s6 cannot take root's powers away (no capability bounding set, and without sandbox: bwrap no read-only system): the job can do anything root can; give it a dedicated user if it can do without";
    return [{ severity: strict ? 'error' : 'warning', file: specName, pointer: pointerOf(['services', service.name, 'user']), message }];
  },
  render: (service, model, _layout, templates, problems) => renderS6Service(service, model, templates, problems),
  handleOk: s6HandleOk,
  actions: s6Actions,
  createAccounts: s6CreateAccounts,
  // the files are sources: s6 runs the compiled copy until the reload after the install, never a mix
  relinkWhileChanging: () => null,
  leftovers(handle) {
    // what the scripts kept as root: the copies of its secrets (finish removes them when it stops; a service that
    // was killed leaves them) and its record of runs; s6-rc-update removes the supervised directories itself
    const kept = runtimePaths(asS6(handle).name);
    return [kept.credentials, kept.environment, kept.runs];
  },
  control(handle, verb) {
    const s = asS6(handle);
    if (verb === 'run-now' && !s.periodic) return null;
    return { argv: ['s6-svc', ...SVC[verb], s.liveDir] };
  },
  logs(handle, { follow, lines }) {
    return { argv: ['tail', '-n', String(lines), ...(follow ? ['-F'] : []), `${asS6(handle).logDir}/current`] };
  },
  status: (handle, port) => s6Status(asS6(handle), port),
  detectPaths: S6_DETECT_PATHS,
  detect: detectS6,
  // s6-linux-init's /sbin/init execs s6-svscan, which stays PID 1 (s6-linux-init(8))
  pid1Names: ['s6-svscan'],
};

/**
 * OpenRC (Artix's OpenRC, 0.63): /etc/init.d/NAME for openrc-run with supervisor=supervise-daemon, which keeps
 * pvpn-gen's run script going (the job, or its timer loop); enabled by a link in /etc/runlevels/default (what
 * `rc-update add NAME default` makes), controlled with rc-service. The run script runs as root next to a job that
 * does not (SECURITY in README.md).
 */
import { pointerOf } from '../../model/problem.js';
import { lifecycleNotYetProblems } from '../lifecycle-not-yet.js';
import { shPathProblems } from '../sh-paths.js';
import { runtimePaths } from '../sh-runtime.js';
import type { Target } from '../target.js';
import { openrcActions, openrcCreateAccounts } from './actions.js';
import { OPENRC_CAPABILITIES, OPENRC_SANDBOXED_CAPABILITIES } from './capabilities.js';
import { detectOpenrc, OPENRC_DETECT_PATHS } from './detect.js';
import { asOpenrc, openrcHandleOk } from './handle.js';
import { renderOpenrcService } from './render.js';
import { openrcStatus } from './status.js';

export const openrc: Target = {
  name: 'openrc',
  layouts: [],
  capabilities: OPENRC_CAPABILITIES,
  sandboxedCapabilities: OPENRC_SANDBOXED_CAPABILITIES,
  // root writes the log itself (in a directory of its own), so no log user: only the path rules apply
  checkSpec: (model, selected) => [
    ...shPathProblems(model, selected, { target: 'openrc', logger: 'the log', logUser: 'root' }).filter((p) => !p.pointer.endsWith('/logging/user')),
    ...lifecycleNotYetProblems('openrc', model, selected),
  ],
  notes(service, strict, specName) {
    if (service.identity.kind !== 'user' || service.identity.user !== 'root') return [];
    const message =
      "user: root: OpenRC's run script cannot take root's powers away (no capability bounding set, and without sandbox: bwrap no read-only system): the job can do anything root can; give it a dedicated user if it can do without";
    return [{ severity: strict ? 'error' : 'warning', file: specName, pointer: pointerOf(['services', service.name, 'user']), message }];
  },
  render: (service, model, _layout, templates, problems) => renderOpenrcService(service, model, templates, problems),
  handleOk: openrcHandleOk,
  actions: openrcActions,
  createAccounts: openrcCreateAccounts,
  relinkWhileChanging: () => null,
  leftovers(handle) {
    // what the run script kept as root: the copies of its secrets and environment file (it removes them when it
    // stops; a killed one leaves them), and its record of runs
    const kept = runtimePaths(asOpenrc(handle).name);
    return [kept.credentials, kept.environment, kept.runs];
  },
  control(handle, verb) {
    const s = asOpenrc(handle);
    if (verb === 'run-now') return s.periodic ? { argv: ['rc-service', s.name, 'runnow'] } : null;
    return { argv: ['rc-service', s.name, verb] };
  },
  logs(handle, { follow, lines }) {
    return { argv: ['tail', '-n', String(lines), ...(follow ? ['-F'] : []), `${asOpenrc(handle).logDir}/current`] };
  },
  status: (handle, port) => openrcStatus(asOpenrc(handle), port),
  detectPaths: OPENRC_DETECT_PATHS,
  detect: detectOpenrc,
  // Ansible says openrc for openrc-init as PID 1, and for a PID 1 named `init` when /sbin/openrc exists
  pid1Names: ['openrc', 'openrc-init'],
};

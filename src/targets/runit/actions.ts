/**
 * What runit needs around the file changes: stop a removed service (the job, then its logger) and wait for its runsv
 * to go; wait until runsv supervises a new one; restart what changed. Accounts with useradd/groupadd (the same on
 * Artix, Void and Debian). Pure: actions as data.
 */
import type { DesiredEntry } from '../../render/types.js';
import type { Action, Command, ServiceDelta } from '../target.js';
import { asRunit, type RunitHandle } from './handle.js';

/** sv with SVDIR set, though every path given is absolute (sv looks at it for some messages). */
const sv = (service: RunitHandle, ...args: string[]): Action & Command => ({ kind: 'exec', argv: ['sv', ...args], env: { SVDIR: service.scanDir } });

const waitUp = (s: RunitHandle): Action => ({
  kind: 'wait-paths',
  service: s.name,
  paths: [`${s.serviceDir}/supervise/ok`, `${s.serviceDir}/log/supervise/ok`],
  describe: `wait until runsv supervises ${s.serviceDir} (supervise/ok)`,
  failure: `runsv did not start ${s.name} (no ${s.serviceDir}/supervise/ok): is runsvdir running on the enable directory?`,
});

export function runitActions(d: ServiceDelta): { before: Action[]; after: Action[] } {
  const before: Action[] = [];
  const after: Action[] = [];
  for (const s of d.removed.map(asRunit)) {
    // the job first, then its logger, so that its last lines are still logged. force-stop: a job that ignores TERM
    // (its user's choice, not root's) is killed after 15 s instead of keeping runsv, and the uninstall, waiting
    before.push(sv(s, '-w', '15', 'force-stop', s.serviceDir), sv(s, '-w', '15', 'force-stop', `${s.serviceDir}/log`));
    after.push({
      kind: 'wait-gone',
      service: s.name,
      program: 'runsv',
      cwd: s.serviceDir,
      describe: `wait until runsv of ${s.serviceDir} has exited`,
      failure: `runsv of ${s.name} is still running after its link was removed`,
    });
  }
  for (const s of d.added.map(asRunit)) after.push(waitUp(s));
  for (const { handle, paths } of d.changed) {
    const s = asRunit(handle);
    after.push(waitUp(s));
    if (paths.has(`${s.serviceDir}/run`) || paths.has(`${s.serviceDir}/finish`)) after.push(sv(s, 'restart', s.serviceDir));
    if (paths.has(`${s.serviceDir}/log/run`)) after.push(sv(s, 'restart', `${s.serviceDir}/log`));
  }
  return { before, after };
}

/** groupadd, then useradd (a user's own group of the same name comes with it). */
export function runitCreateAccounts(missing: { users: ReadonlyMap<string, string>; groups: readonly string[] }, _desired: readonly DesiredEntry[]): Action[] {
  return [
    ...missing.groups.map((name): Action => ({ kind: 'ensure-group', name })),
    ...[...missing.users].map(([name, home]): Action => ({ kind: 'ensure-user', name, home })),
  ];
}

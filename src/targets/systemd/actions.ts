/**
 * What systemd needs around the file changes: stop and forget removed units, reload after unit files change, start
 * new services, restart changed timers and daemons; accounts through systemd-sysusers. Pure: actions as data.
 */
import type { DesiredEntry } from '../../render/types.js';
import type { Action, ServiceDelta } from '../target.js';
import { SYSTEMD } from './facts.js';
import { asSystemd } from './handle.js';

const systemctl = (...args: string[]): Action => ({ kind: 'exec', argv: ['systemctl', ...args] });

export function systemdActions(d: ServiceDelta): { before: Action[]; after: Action[] } {
  const before: Action[] = [];
  const after: Action[] = [];
  const removed = d.removed.map(asSystemd);
  if (removed.length > 0) before.push(systemctl('stop', ...removed.flatMap((s) => [s.mainUnit, ...s.units.filter((u) => u !== s.mainUnit)])));
  // a removed unit that had failed would stay listed by `systemctl --failed` as "not-found failed": clear it while
  // it is still loaded
  if (removed.length > 0) before.push(systemctl('reset-failed', ...removed.flatMap((s) => s.units)));
  if ([...d.changedPaths].some((p) => p.endsWith('.service') || p.endsWith('.timer'))) after.push(systemctl('daemon-reload'));
  const added = d.added.map(asSystemd);
  if (added.length > 0) after.push(systemctl('start', ...added.map((s) => s.mainUnit)));
  // A changed timer is re-armed by a restart; a changed job is picked up at its next run; a daemon restarts.
  const restart = d.changed
    .map(({ handle, paths }) => ({ handle: asSystemd(handle), paths }))
    .filter(({ handle, paths }) => [...paths].some((p) => p.endsWith(`/${handle.mainUnit}`)) || (!handle.periodic && paths.size > 0))
    .map(({ handle }) => handle.mainUnit);
  if (restart.length > 0) after.push(systemctl('restart', ...restart));
  return { before, after };
}

/** systemd-sysusers reads the sysusers.d files among the desired ones (and does so again at boot, should one go). */
export function systemdCreateAccounts(_missing: unknown, desired: readonly DesiredEntry[]): Action[] {
  return [{ kind: 'exec', argv: ['systemd-sysusers', ...desired.filter((e) => e.path.startsWith(`${SYSTEMD.sysusersDir}/`)).map((e) => e.path)] }];
}

/**
 * The system accounts a service needs. pvpn-gen creates the missing ones at install (systemd: a sysusers.d file and
 * systemd-sysusers; runit: useradd/groupadd) and removes on uninstall only those it created. A transient user
 * (DynamicUser=) and root need nothing.
 */
import type { ServiceModel } from '../model/types.js';
import { RUNIT_LOG_USER } from './targets.js';
import type { Accounts, TargetName } from './types.js';

/** runit has no transient users: a service without `user:` runs as a system user named after it. */
export function runitUserOf(service: ServiceModel): string {
  if (service.identity.kind === 'user') return service.identity.user;
  const name = service.name.replaceAll('.', '_').slice(0, 32);
  return /^[a-z_]/.test(name) ? name : `_${name.slice(0, 31)}`;
}

export function accountsOf(service: ServiceModel, target: TargetName): Accounts {
  const identity = service.identity;
  const user = target === 'runit' ? runitUserOf(service) : identity.kind === 'user' ? identity.user : null;
  // The home is the working directory, as for a service's own user; a passwd field cannot hold ':', so such a
  // directory (rare, but a valid path) leaves the home at '/' (the service still runs in its working directory).
  const home = service.workingDirectory !== null && !service.workingDirectory.includes(':') ? service.workingDirectory : '/';
  // a name pvpn-gen made up (runit, no `user:`) must never turn out to be somebody else's existing account
  const derived = identity.kind === 'dynamic';
  const users = user === null || user === 'root' ? [] : [{ name: user, home, ...(derived ? { derived } : {}) }];
  const groups = identity.kind === 'user' ? [identity.group, ...identity.supplementaryGroups] : [];
  const logUser = target === 'runit' ? (service.logging.user ?? RUNIT_LOG_USER) : null;
  if (logUser && logUser !== 'root' && !users.some((u) => u.name === logUser)) users.push({ name: logUser, home: '/' });
  return {
    users,
    groups: [...new Set(groups.filter((g): g is string => g !== null && g !== 'root' && !users.some((u) => u.name === g)))],
  };
}

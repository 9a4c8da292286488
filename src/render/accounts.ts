/**
 * The system accounts a service needs. pvpn-gen creates the missing ones at install (systemd: a sysusers.d file and
 * systemd-sysusers; runit: useradd/groupadd) and removes on uninstall only those it created. A transient user
 * (DynamicUser=) and root need nothing.
 */
import type { ServiceModel } from '../spec/types.js';
import { runitUserOf } from './runit.js';
import type { Accounts, TargetName } from './types.js';

export function accountsOf(service: ServiceModel, target: TargetName): Accounts {
  const identity = service.identity;
  const user = target === 'runit' ? runitUserOf(service) : identity.kind === 'user' ? identity.user : null;
  // The home is the working directory, as for a service's own user; a passwd field cannot hold ':', so such a
  // directory (rare, but a valid path) leaves the home at '/' (the service still runs in its working directory).
  const home = service.workingDirectory !== null && !service.workingDirectory.includes(':') ? service.workingDirectory : '/';
  const users = user === null || user === 'root' ? [] : [{ name: user, home }];
  const groups = identity.kind === 'user' ? [identity.group, ...identity.supplementaryGroups] : [];
  const logUser = target === 'runit' ? service.logging.user : null;
  if (logUser && logUser !== 'root' && !users.some((u) => u.name === logUser)) users.push({ name: logUser, home: '/' });
  return {
    users,
    groups: [...new Set(groups.filter((g): g is string => g !== null && g !== 'root' && !users.some((u) => u.name === g)))],
  };
}

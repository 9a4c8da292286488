/**
 * The system accounts a service needs. pvpn-gen creates the missing ones at install (the target says how) and
 * removes on uninstall only those it created. A transient user (DynamicUser=) and root need nothing.
 */
import type { ServiceModel } from '../model/types.js';
import type { Accounts } from './types.js';

/**
 * `user`: whom the service runs as (null: a transient user); `extraUsers`: other users its supervisor needs (runit's
 * log user). A user the target made up from the service's name is `derived`: it must never turn out to be somebody
 * else's existing account.
 */
export function accountsOf(service: ServiceModel, user: string | null, extraUsers: readonly string[] = []): Accounts {
  const identity = service.identity;
  // The home is the working directory, as for a service's own user; a passwd field cannot hold ':', so such a
  // directory (rare, but a valid path) leaves the home at '/' (the service still runs in its working directory).
  const home = service.workingDirectory !== null && !service.workingDirectory.includes(':') ? service.workingDirectory : '/';
  const derived = identity.kind === 'dynamic';
  const users = user === null || user === 'root' ? [] : [{ name: user, home, ...(derived ? { derived } : {}) }];
  for (const extra of extraUsers) if (extra !== 'root' && !users.some((u) => u.name === extra)) users.push({ name: extra, home: '/' });
  const groups = identity.kind === 'user' ? [identity.group, ...identity.supplementaryGroups] : [];
  return {
    users,
    groups: [...new Set(groups.filter((g): g is string => g !== null && g !== 'root' && !users.some((u) => u.name === g)))],
  };
}

/**
 * runit and s6 have no transient users: a service without `user:` runs as a system user named after it (systemd's
 * DynamicUser= has no equivalent there). Pure.
 */
import type { ServiceModel } from '../model/types.js';

export function serviceUserOf(service: ServiceModel): string {
  if (service.identity.kind === 'user') return service.identity.user;
  const name = service.name.replaceAll('.', '_').slice(0, 32);
  return /^[a-z_]/.test(name) ? name : `_${name.slice(0, 31)}`;
}

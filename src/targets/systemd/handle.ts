/** What the manifest records of a systemd service: its units, the one enabled and started, and the job's. */
import type { ServiceHandle } from '../../render/types.js';

export interface SystemdHandle extends ServiceHandle {
  readonly target: 'systemd';
  /** the unit enabled and started: NAME.timer for periodic jobs, NAME.service for daemons */
  readonly mainUnit: string;
  readonly serviceUnit: string;
  /** every unit file of this service */
  readonly units: readonly string[];
}

export function asSystemd(handle: ServiceHandle): SystemdHandle {
  if (handle.target !== 'systemd') throw new TypeError(`not a systemd service: ${handle.name}`);
  return handle as SystemdHandle;
}

/** A recorded handle names only this service's own units. */
export function systemdHandleOk(handle: ServiceHandle): boolean {
  if (handle.target !== 'systemd') return false;
  const h = handle as SystemdHandle;
  const own = new Set([`${h.name}.service`, `${h.name}.timer`, `${h.name}-failure.service`, `${h.name}-notify@failure.service`, `${h.name}-notify@success.service`]);
  return Array.isArray(h.units) && h.units.every((u) => own.has(u)) && h.units.includes(h.mainUnit) && h.units.includes(h.serviceUnit);
}

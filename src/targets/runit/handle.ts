/** What the manifest records of a runit service: its directory, its enable link, where runsvdir scans, its logs. */
import type { ServiceHandle } from '../../render/types.js';
import { isPlainAbsolute } from '../../paths.js';
import { runitLayout } from './facts.js';

export interface RunitHandle extends ServiceHandle {
  readonly target: 'runit';
  readonly serviceDir: string;
  readonly enableLink: string;
  readonly scanDir: string;
  readonly logDir: string;
}

export function asRunit(handle: ServiceHandle): RunitHandle {
  if (handle.target !== 'runit') throw new TypeError(`not a runit service: ${handle.name}`);
  return handle as RunitHandle;
}

/** A recorded handle must be exactly what the layout gives for that service: root acts on these paths. */
export function runitHandleOk(handle: ServiceHandle, layoutName: string | null): boolean {
  if (handle.target !== 'runit' || layoutName === null) return false;
  const layout = runitLayout(layoutName);
  const h = handle as RunitHandle;
  return (
    layout.name === layoutName &&
    h.serviceDir === `${layout.serviceDir}/${h.name}` &&
    h.enableLink === `${layout.enableDir}/${h.name}` &&
    h.scanDir === layout.scanDir &&
    isPlainAbsolute(h.logDir) &&
    h.logDir.startsWith('/var/log/')
  );
}

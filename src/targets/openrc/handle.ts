/** What the manifest records of an OpenRC service: its init script, its run script, its enable link, its logs. */
import type { ServiceHandle } from '../../render/types.js';
import { isPlainAbsolute } from '../../paths.js';
import { openrcPaths } from './facts.js';

export interface OpenrcHandle extends ServiceHandle {
  readonly target: 'openrc';
  readonly initScript: string;
  readonly runScript: string;
  readonly enableLink: string;
  readonly logDir: string;
}

export function asOpenrc(handle: ServiceHandle): OpenrcHandle {
  if (handle.target !== 'openrc') throw new TypeError(`not an OpenRC service: ${handle.name}`);
  return handle as OpenrcHandle;
}

/** A recorded handle must be exactly what render gives for that service: root acts on these paths. */
export function openrcHandleOk(handle: ServiceHandle, layoutName: string | null): boolean {
  if (handle.target !== 'openrc' || layoutName !== null) return false;
  const h = handle as OpenrcHandle;
  const paths = openrcPaths(h.name);
  return (
    /^[a-z0-9][a-z0-9_.-]{0,63}$/.test(h.name) &&
    h.initScript === paths.initScript &&
    h.runScript === paths.runScript &&
    h.enableLink === paths.enableLink &&
    isPlainAbsolute(h.logDir) &&
    h.logDir.startsWith('/var/log/')
  );
}

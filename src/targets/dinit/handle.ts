/** What the manifest records of a dinit service: its description, its enable link, its run script, its log. */
import type { ServiceHandle } from '../../render/types.js';
import { dinitPaths } from './facts.js';

export interface DinitHandle extends ServiceHandle {
  readonly target: 'dinit';
  readonly service: string;
  readonly enableLink: string;
  readonly run: string;
  readonly logFile: string;
}

export function asDinit(handle: ServiceHandle): DinitHandle {
  if (handle.target !== 'dinit') throw new TypeError(`not a dinit service: ${handle.name}`);
  return handle as DinitHandle;
}

/** A recorded handle must be exactly what render makes for that service: root acts on these paths. */
export function dinitHandleOk(handle: ServiceHandle, layout: string | null): boolean {
  if (handle.target !== 'dinit' || layout !== null || !/^[a-z0-9][a-z0-9_.-]{0,63}$/.test(handle.name)) return false;
  const h = handle as DinitHandle;
  const p = dinitPaths(h.name);
  return h.service === p.service && h.enableLink === p.enableLink && h.run === p.run && h.logFile === p.logFile;
}

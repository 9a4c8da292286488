/** What the manifest records of an s6-rc service: its two source definitions, its enable file, its scan links, its logs. */
import type { ServiceHandle } from '../../render/types.js';
import { isPlainAbsolute } from '../../paths.js';
import { S6_FACTS, s6Names } from './facts.js';

export interface S6Handle extends ServiceHandle {
  readonly target: 's6';
  /** the longrun's source definition, /etc/s6/adminsv/NAME-srv */
  readonly sourceDir: string;
  /** its logger's, /etc/s6/adminsv/NAME-log */
  readonly logSourceDir: string;
  /** the enable file, /etc/s6/adminsv/default/contents.d/NAME */
  readonly enableFile: string;
  /** the supervised directories s6-svscan sees, /run/service/NAME-srv and /run/service/NAME-log */
  readonly liveDir: string;
  readonly logLiveDir: string;
  readonly logDir: string;
}

export function asS6(handle: ServiceHandle): S6Handle {
  if (handle.target !== 's6') throw new TypeError(`not an s6 service: ${handle.name}`);
  return handle as S6Handle;
}

/** The paths of service NAME, as render makes them. */
export function s6Paths(name: string): Pick<S6Handle, 'sourceDir' | 'logSourceDir' | 'enableFile' | 'liveDir' | 'logLiveDir'> {
  const n = s6Names(name);
  return {
    sourceDir: `${S6_FACTS.sourceDir}/${n.srv}`,
    logSourceDir: `${S6_FACTS.sourceDir}/${n.log}`,
    enableFile: `${S6_FACTS.bundleContents}/${n.pipeline}`,
    liveDir: `${S6_FACTS.scanDir}/${n.srv}`,
    logLiveDir: `${S6_FACTS.scanDir}/${n.log}`,
  };
}

/** A recorded handle must be exactly what render gives for that service: root acts on these paths. */
export function s6HandleOk(handle: ServiceHandle, layout: string | null): boolean {
  if (handle.target !== 's6' || layout !== null || !/^[a-z0-9][a-z0-9_.-]{0,63}$/.test(handle.name)) return false;
  const h = handle as S6Handle;
  const p = s6Paths(h.name);
  return (
    h.sourceDir === p.sourceDir &&
    h.logSourceDir === p.logSourceDir &&
    h.enableFile === p.enableFile &&
    h.liveDir === p.liveDir &&
    h.logLiveDir === p.logLiveDir &&
    isPlainAbsolute(h.logDir) &&
    h.logDir.startsWith('/var/log/')
  );
}

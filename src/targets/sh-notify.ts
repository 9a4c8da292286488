/**
 * The view of templates/sh/_notify.hbs, the root helper that tells people about a periodic job's runs (issue 17):
 * runit's loop calls it after each run, systemd's NAME-notify@.service runs it from OnFailure=/OnSuccess=. A
 * target that leaves these fields out renders no notification code at all (templates/sh/_loop.hbs asks
 * `{{#if notify}}`). Pure.
 */
import type { ServiceModel } from '../model/types.js';
import { STATE_DIR } from '../paths.js';
import { parseNotificationRecord, type NotificationRecord } from './status.js';
import type { StatusPort } from './target.js';

/** Root's own files per service: NAME.outcome (the last run's), NAME.event and NAME.sent (the last notification). */
export const NOTIFY_STATE = { dir: `${STATE_DIR}/notify`, base: '/var/lib' } as const;

/** A string as GVariant text (gdbus reads every argument as such): single-quoted, \ and ' escaped. */
export function gvariantString(s: string): string {
  return `'${s.replace(/[\\']/g, '\\$&')}'`;
}

export interface ShNotifyView {
  readonly notify: {
    readonly service: string;
    readonly description: string;
    /** the app name of the desktop notification, as gdbus reads it */
    readonly app: string;
    /** the events to send, space-separated */
    readonly events: string;
    readonly desktop: boolean;
    /** the command, when the root script starts it itself (through launch, as the service's user) */
    readonly command: string[] | null;
    /** the changed exit status as a word, '' when the spec has none */
    readonly changedStatus: string;
    readonly stateDir: string;
    readonly stateBase: string;
  } | null;
  readonly changedExitStatus: number | null;
}

/** `runsCommand`: false where the command runs elsewhere (systemd: its own ExecStart= as the service's user). */
export function shNotifyView(service: ServiceModel, runsCommand: boolean): ShNotifyView {
  const notify = service.notify;
  return {
    notify: notify && {
      service: service.name,
      description: service.description,
      app: gvariantString(service.name),
      events: notify.events.join(' '),
      desktop: notify.desktop,
      command: runsCommand && notify.command ? [...notify.command] : null,
      changedStatus: service.changedExitStatus === null ? '' : String(service.changedExitStatus),
      stateDir: NOTIFY_STATE.dir,
      stateBase: NOTIFY_STATE.base,
    },
    changedExitStatus: service.changedExitStatus,
  };
}

/** For `status`: the last notification sent about service NAME, read from root's record of it. */
export function lastNotificationOf(name: string, port: Pick<StatusPort, 'read'>): { lastNotification?: NotificationRecord } {
  const record = parseNotificationRecord(port.read(`${NOTIFY_STATE.dir}/${name}.sent`));
  return record ? { lastNotification: record } : {};
}

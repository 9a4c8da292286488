/**
 * What `status` says of a service on any target: its state, its recent runs and the next one. Each target reads
 * its own supervisor (src/targets/NAME/status.ts) and condenses it here. Pure.
 */
import type { TargetName } from './names.js';

export type Outcome = 'success' | 'failed' | 'skipped' | 'running' | 'stopped';

export interface RunRecord {
  /** ISO 8601, UTC */
  readonly started: string;
  readonly outcome: Outcome;
  readonly seconds?: number;
  /** exit status of the job (or of the precondition, for a skipped or failed precondition) */
  readonly status?: number;
  readonly detail?: string;
}

export interface History {
  readonly runs: readonly RunRecord[];
  /** ISO 8601, when the supervisor plans the next run */
  readonly nextRun?: string;
}

/** The last notification pvpn-gen sent about a service's runs (notify:), from root's own record of it. */
export interface NotificationRecord {
  /** ISO 8601, UTC */
  readonly at: string;
  /** failure, recovery, changed, success or skipped */
  readonly event: string;
  /** the people whose desktop took it */
  readonly desktop: readonly string[];
  /** the notification command's exit status (runit), or absent (none, or run later as the service's user: systemd) */
  readonly command?: number;
}

/** `SECONDS EVENT desktop=NAME,NAME command=STATUS`, the line templates/sh/_notify.hbs keeps in NAME.sent. */
export function parseNotificationRecord(text: string | null | undefined): NotificationRecord | undefined {
  const m = /^(\d{1,12}) ([a-z]+) desktop=([^ \n]*) command=(\d*)$/m.exec(text ?? '');
  if (!m) return undefined;
  return {
    at: new Date(Number(m[1]) * 1000).toISOString(),
    event: m[2] as string,
    desktop: m[3] ? (m[3] as string).split(',') : [],
    ...(m[4] ? { command: Number(m[4]) } : {}),
  };
}

export interface ServiceStatus {
  readonly name: string;
  readonly target: TargetName;
  readonly kind: 'periodic' | 'daemon';
  readonly enabled: boolean;
  /** waiting (a periodic job between runs), running, stopped, failed, restarting, unknown */
  readonly state: string;
  readonly pid?: number;
  readonly lastRun?: RunRecord;
  /** the most recent runs, oldest first */
  readonly runs: readonly RunRecord[];
  /** skipped runs (precondition not met) among `runs` */
  readonly skipped: number;
  readonly nextRun?: string;
  /** the last notification sent (notify:) */
  readonly lastNotification?: NotificationRecord;
}

const RECENT_RUNS = 10;

export function summarise(
  base: Pick<ServiceStatus, 'name' | 'target' | 'kind' | 'enabled' | 'state'> & { pid?: number; lastNotification?: NotificationRecord },
  runs: readonly RunRecord[],
  nextRun: string | undefined,
): ServiceStatus {
  const recent = runs.slice(-RECENT_RUNS);
  // the last run that ended (a run going on now shows as the state), else whatever there is
  const lastRun = [...runs].reverse().find((r) => r.outcome !== 'skipped' && r.outcome !== 'running') ?? runs.at(-1);
  return {
    ...base,
    ...(lastRun ? { lastRun } : {}),
    runs: recent,
    skipped: recent.filter((r) => r.outcome === 'skipped').length,
    ...(nextRun && base.state !== 'stopped' ? { nextRun } : {}),
  };
}

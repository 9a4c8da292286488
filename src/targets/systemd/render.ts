/**
 * Model -> systemd units: NAME.service, NAME.timer for periodic jobs, NAME-failure.service for the failure hook,
 * and the enable link `systemctl enable` would make. Pure.
 */
import type { ServiceModel, SpecModel } from '../../model/types.js';
import { accountsOf } from '../../render/accounts.js';
import { templateOf, type TemplateSet } from '../../render/engine.js';
import { systemdListItem } from '../../render/escape.js';
import { FILE_MODE } from '../../render/file-modes.js';
import { generatedHeader } from '../../render/header.js';
import { formatSpan } from '../../model/units.js';
import type { DesiredEntry } from '../../render/types.js';
import { NOTIFY_STATE, shNotifyView } from '../sh-notify.js';
import { SYSTEMD } from './facts.js';
import type { SystemdHandle } from './handle.js';
import { hardeningLines } from './hardening.js';

type Line = readonly [string, string];
interface DirectiveView {
  readonly name: string;
  readonly value: string;
  /** from hardening.systemd: systemd syntax kept as written (sdRaw), else escaped (sdValue) */
  readonly raw: boolean;
}

/** Raw directives from `hardening.systemd` replace generated lines of the same name, or are added at the end. */
export function withRawDirectives(
  lines: readonly Line[],
  raw: ReadonlyArray<readonly [string, readonly string[]]>,
): DirectiveView[] {
  const replaced = new Set(raw.map(([name]) => name));
  return [
    ...lines.filter(([name]) => !replaced.has(name)).map(([name, value]) => ({ name, value, raw: false })),
    ...raw.flatMap(([name, values]) => values.map((value) => ({ name, value, raw: true }))),
  ];
}

function identityView(service: ServiceModel) {
  const identity = service.identity;
  return identity.kind === 'dynamic'
    ? { dynamicUser: true, user: null, group: null, supplementaryGroups: [] as string[] }
    : { dynamicUser: false, user: identity.user, group: identity.group, supplementaryGroups: [...identity.supplementaryGroups] };
}

/** What both the main service and the failure hook run with: identity, environment, limits, sandbox. */
function executionView(service: ServiceModel) {
  const limits = service.limits;
  return {
    ...identityView(service),
    workingDirectory: service.workingDirectory,
    environment: service.environment.map(([name, value]) => ({ name, value })),
    environmentFile: service.environmentFile,
    environmentFiles: service.environmentFiles.map((f) => ({ ...f })),
    credentials: service.credentials.map(([name, path]) => ({ name, path })),
    memoryMax: limits.memoryBytes,
    cpuQuota: limits.cpuPercent,
    limitNofile: limits.nofile,
    limitNproc: limits.nproc,
    nice: service.nice,
    hardening: withRawDirectives(hardeningLines(service), service.hardening.rawSystemd.Service),
  };
}

function serviceView(service: ServiceModel, specName: string) {
  const schedule = service.schedule;
  const daemon = schedule.kind === 'daemon' ? schedule : null;
  return {
    header: generatedHeader(specName),
    description: service.description,
    wants: [...service.wants],
    after: [...service.after],
    onFailureUnit: service.onFailure ? `${service.name}-failure.service` : null,
    // two instances, never one unit in both lists: systemd passes MONITOR_* only to a unit triggered once
    notifyOnFailure: notifyTriggers(service).onFailure ? `${service.name}-notify@failure.service` : null,
    notifyOnSuccess: notifyTriggers(service).onSuccess ? `${service.name}-notify@success.service` : null,
    changedExitStatus: service.changedExitStatus,
    rawUnit: withRawDirectives([], service.hardening.rawSystemd.Unit),
    type: daemon ? service.lifecycle.type : 'oneshot',
    precondition: service.precondition ? [...service.precondition] : null,
    command: [...service.command],
    restart: daemon ? daemon.restart : null,
    // `pvpn-gen stop` (systemctl stop) ends a run with TERM: a stopped run is not a failure, as runit logs it too
    stopIsSuccess: !daemon,
    restartDelay: daemon ? daemon.restartDelayMs : null,
    // oneshot jobs are bounded by their start timeout, daemons by their run time (systemd.service(5))
    timeoutStart: !daemon && service.limits.runtimeMs !== null ? service.limits.runtimeMs : null,
    runtimeMax: daemon && service.limits.runtimeMs !== null ? service.limits.runtimeMs : null,
    ...executionView(service),
    wantedBy: daemon ? daemonWantedBy(service) : null,
    ...lifecycleView(service),
  };
}

/** The targets whose .wants/ an enabled daemon is linked into (WantedBy=). */
function daemonWantedBy(service: ServiceModel): string[] {
  return service.wantedBy ? [...service.wantedBy] : [SYSTEMD.daemonWantedBy];
}

/** systemd's time span, or infinity. */
const spanText = (ms: number | null): string | null => (ms === null ? null : ms === Number.POSITIVE_INFINITY ? 'infinity' : formatSpan(ms));

/** The unit's lines for the lifecycle fields; every value is null (no line) for a service that sets none of them. */
function lifecycleView(service: ServiceModel) {
  const life = service.lifecycle;
  const reload = life.reload;
  return {
    requires: [...service.requires],
    before: [...service.before],
    conflicts: [...service.conflicts],
    documentation: [...service.documentation],
    beforeStart: life.beforeStart.map((step) => ({ command: [...step.command], ignoreFailure: step.ignoreFailure })),
    stop: life.stop.map((step) => ({ command: [...step.command], ignoreFailure: step.ignoreFailure })),
    afterStop: life.afterStop.map((step) => ({ command: [...step.command], ignoreFailure: step.ignoreFailure })),
    killMode: life.killMode,
    restartLimit: life.restartLimit,
    notifyAccess: life.notifyAccess,
    pidFile: life.pidFile,
    remainAfterExit: life.remainAfterExit,
    reloadCommands: reload?.kind === 'commands' ? reload.commands.map((argv) => [...argv]) : [],
    reloadSignal: reload?.kind === 'signal' ? reload.signal : null,
    successStatus: [...life.successStatus],
    preventRestartStatus: [...life.preventRestartStatus],
    timeoutStartText: spanText(life.timeoutStartMs),
    timeoutStopText: spanText(life.timeoutStopMs),
    killSignal: life.stopSignal === null ? null : `SIG${life.stopSignal}`,
    runtimeDirectories: service.directories.filter((d) => d.kind === 'runtime').flatMap((d) => d.paths.map((p) => systemdListItem(p.slice('/run/'.length)))).join(' ') || null,
    directoryModes: service.directories.filter((d) => d.mode !== null).map((d) => ({ directive: `${DIRECTORY_DIRECTIVE[d.kind]}Mode`, mode: d.mode })),
  };
}

const DIRECTORY_DIRECTIVE = { runtime: 'RuntimeDirectory', state: 'StateDirectory', cache: 'CacheDirectory', logs: 'LogsDirectory' } as const;


/** Which runs start the notification unit: recovery needs to see failures too, to know the next success is one. */
function notifyTriggers(service: ServiceModel): { onFailure: boolean; onSuccess: boolean } {
  const events = new Set(service.notify?.events ?? []);
  return {
    onFailure: events.has('failure') || events.has('recovery'),
    onSuccess: events.has('recovery') || events.has('changed') || events.has('success') || events.has('skipped'),
  };
}

/**
 * NAME-notify@.service: its first line, as root, runs templates/sh/_notify.hbs (the same helper runit's loop runs);
 * the second, the spec's notification command, as the service's user with the service's sandbox.
 */
function notifyView(service: ServiceModel, specName: string, templates: TemplateSet) {
  const header = generatedHeader(specName);
  const helper = templateOf(templates, 'systemd/notify-helper')({ header, name: service.name, ...shNotifyView(service, false) });
  const command = service.notify?.command;
  const eventFile = `${NOTIFY_STATE.dir}/${service.name}.event`;
  return {
    header,
    name: service.name,
    description: service.description,
    helper: ['/bin/sh', '-c', helper, `${service.name}-notify`],
    command: command
      ? ['/bin/sh', '-c', templateOf(templates, 'systemd/notify-command')({ name: service.name, eventFile }), `${service.name}-notify`, ...command]
      : null,
    ...executionView(service),
    ...(service.identity.kind === 'dynamic' ? { user: service.name } : {}),
  };
}

function timerView(service: ServiceModel, specName: string) {
  const schedule = service.schedule;
  if (schedule.kind === 'daemon') throw new Error('a daemon has no timer');
  return {
    header: generatedHeader(specName),
    description: service.description,
    name: service.name,
    // No onBoot: run as soon as the timer starts (OnBootSec in the past elapses at once), then every interval.
    onBoot: schedule.kind === 'interval' ? (schedule.onBootMs ?? 0) : null,
    interval: schedule.kind === 'interval' ? schedule.intervalMs : null,
    calendar: schedule.kind === 'calendar' ? schedule.calendar : null,
    persistent: schedule.kind === 'calendar' ? (schedule.persistent ? 'yes' : 'no') : null,
    randomizedDelay: schedule.randomizedDelayMs > 0 ? schedule.randomizedDelayMs : null,
    accuracy: schedule.accuracyMs,
    rawTimer: withRawDirectives([], service.hardening.rawSystemd.Timer),
    wantedBy: SYSTEMD.timerWantedBy,
  };
}

function failureView(service: ServiceModel, specName: string) {
  return {
    header: generatedHeader(specName),
    description: service.description,
    name: service.name,
    command: [...(service.onFailure ?? [])],
    ...executionView(service),
    // A transient user is named after its unit: without this the hook would get a second one (NAME-failure), with
    // its own uid, next to the service's state directory. User= names the service's own.
    ...(service.identity.kind === 'dynamic' ? { user: service.name } : {}),
  };
}

export function renderSystemdService(
  service: ServiceModel,
  model: SpecModel,
  templates: TemplateSet,
): { entries: DesiredEntry[]; handle: SystemdHandle } {
  const dir = SYSTEMD.unitDir;
  const name = service.name;
  const periodic = service.schedule.kind !== 'daemon';
  const file = (unit: string, content: string): DesiredEntry => ({
    kind: 'file',
    path: `${dir}/${unit}`,
    mode: FILE_MODE.unit,
    content,
    service: name,
  });
  const units = [`${name}.service`];
  const entries: DesiredEntry[] = [file(`${name}.service`, templateOf(templates, 'systemd/service')(serviceView(service, model.specName)))];
  if (periodic) {
    units.push(`${name}.timer`);
    entries.push(file(`${name}.timer`, templateOf(templates, 'systemd/timer')(timerView(service, model.specName))));
  }
  if (service.onFailure) {
    units.push(`${name}-failure.service`);
    entries.push(file(`${name}-failure.service`, templateOf(templates, 'systemd/failure')(failureView(service, model.specName))));
  }
  if (service.notify) {
    // the template unit is the file; its two instances are what systemctl stops and journalctl reads
    units.push(`${name}-notify@failure.service`, `${name}-notify@success.service`);
    entries.push(file(`${name}-notify@.service`, templateOf(templates, 'systemd/notify')(notifyView(service, model.specName, templates))));
  }
  // A declared system user, created by systemd-sysusers at install (and at boot, should it ever go missing).
  const accounts = accountsOf(service, service.identity.kind === 'user' ? service.identity.user : null);
  if (accounts.users.length > 0 || accounts.groups.length > 0) {
    entries.push({
      kind: 'file',
      path: `${SYSTEMD.sysusersDir}/pvpn-gen-${name}.conf`,
      mode: FILE_MODE.config,
      content: templateOf(templates, 'systemd/sysusers')({ header: generatedHeader(model.specName), name, users: accounts.users, groups: accounts.groups }),
      service: name,
    });
  }
  // The link `systemctl enable` makes from the [Install] section (systemctl(1) --root works the same way).
  const mainUnit = periodic ? `${name}.timer` : `${name}.service`;
  for (const wantedBy of periodic ? [SYSTEMD.timerWantedBy] : daemonWantedBy(service)) {
    entries.push({ kind: 'symlink', path: `${dir}/${wantedBy}.wants/${mainUnit}`, target: `${dir}/${mainUnit}`, service: name });
  }
  return {
    entries,
    handle: { target: 'systemd', name, periodic, mainUnit, serviceUnit: `${name}.service`, units, accounts },
  };
}

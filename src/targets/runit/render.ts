/**
 * Model -> a runit service directory: run (the job, or the timer loop around it), finish (daemons: restart policy
 * and failure hook; any service: removing what root handed the job), log/run (svlogd), and the enable link in the
 * layout's scan directory. Pure.
 *
 * Trust: run, finish and log/run run as root next to a job (and an svlogd) that do not. What cannot be made safe in
 * sh is refused here (../sh-paths.ts), before anything is generated.
 */
import { pointerOf, type Problem } from '../../model/problem.js';
import type { ServiceModel, SpecModel } from '../../model/types.js';
import { toSeconds } from '../../model/units.js';
import { accountsOf } from '../../render/accounts.js';
import { templateOf, type TemplateSet } from '../../render/engine.js';
import { FILE_MODE } from '../../render/file-modes.js';
import { generatedHeader } from '../../render/header.js';
import type { DesiredEntry } from '../../render/types.js';
import { isWithin, managedPaths } from '../../render/service-paths.js';
import { ownedDirectories } from '../sh-paths.js';
import { bwrapArgs, handedOver, niceOf, runtimePaths, SH_RUNTIME } from '../sh-runtime.js';
import { shNotifyView } from '../sh-notify.js';
import { serviceUserOf } from '../sh-user.js';
import { toSnoozeArgs } from '../snooze.js';
import { RUNIT_LOG_USER, type RunitLayout } from './facts.js';
import type { RunitHandle } from './handle.js';

/** The names the script always gives the job unless the spec sets them itself. */
const DEFAULT_NAMES = ['PATH', 'USER', 'LOGNAME', 'HOME'] as const;

/**
 * chpst's options: the user (and groups), then the rlimits. `-u user:group:extra...` sets exactly those groups;
 * `-u user` alone keeps the user's primary group (chpst(8)).
 */
export function chpstArgs(service: ServiceModel): string[] {
  const args: string[] = [];
  const userSpec = chpstUserSpec(service);
  if (userSpec !== null) args.push('-u', userSpec);
  const limits = service.limits;
  if (limits.memoryBytes !== null) args.push('-m', String(limits.memoryBytes));
  if (limits.nofile !== null) args.push('-o', String(limits.nofile));
  if (limits.nproc !== null) args.push('-p', String(limits.nproc));
  const nice = niceOf(service);
  if (nice !== null && nice !== 0) args.push('-n', String(nice));
  return args;
}

/** `chpst -u`'s argument, or null for a job that runs as root. */
function chpstUserSpec(service: ServiceModel): string | null {
  const user = serviceUserOf(service);
  if (user === 'root') return null;
  const identity = service.identity.kind === 'user' ? service.identity : null;
  const groups = identity?.supplementaryGroups ?? [];
  const primary = identity?.group ?? null;
  return primary === null && groups.length === 0 ? user : [user, primary ?? user, ...groups].join(':');
}

function common(service: ServiceModel, model: SpecModel) {
  return {
    header: generatedHeader(model.specName),
    name: service.name,
    umask: service.hardening.profile === 'none' ? '022' : '077',
    runsFile: runtimePaths(service.name).runs,
    runsBase: SH_RUNTIME.runsBase,
  };
}

function runView(service: ServiceModel, model: SpecModel, layout: RunitLayout, fail: (key: string, message: string) => void) {
  const schedule = service.schedule;
  let calendar: string[] | null = null;
  if (schedule.kind === 'calendar') {
    const snooze = schedule.calendarSpec ? toSnoozeArgs(schedule.calendarSpec) : ({ ok: false, reason: 'not a valid calendar expression' } as const);
    if (snooze.ok) {
      calendar = [...snooze.args];
      if (schedule.randomizedDelayMs > 0) calendar.push('-R', String(toSeconds(schedule.randomizedDelayMs)));
    } else {
      fail('calendar', `runit (snooze) cannot express ${JSON.stringify(schedule.calendar)}: ${snooze.reason}`);
    }
  }
  const user = serviceUserOf(service);
  const userSpec = chpstUserSpec(service);
  const paths = runtimePaths(service.name);
  const specNames = new Set(service.environment.map(([name]) => name));
  const defaults = Object.fromEntries(DEFAULT_NAMES.map((name) => [name, !specNames.has(name)]));
  return {
    ...common(service, model),
    description: service.description,
    periodic: schedule.kind !== 'daemon',
    user,
    userSpec: userSpec ?? 'root',
    ownedDirectories: ownedDirectories(service, user),
    secrets: service.credentials.length > 0 || service.environmentFile !== null || service.environmentFiles.length > 0,
    runtimeDirs: service.credentials.length > 0 || service.environmentFile !== null || service.environmentFiles.length > 0,
    // like systemd's LoadCredential=: private copies on a tmpfs, readable by the service user only
    credentialsDir: service.credentials.length > 0 ? paths.credentials : null,
    credentialsParent: SH_RUNTIME.credentials,
    credentials: service.credentials.map(([name, path]) => ({ name, path })),
    // several files (environmentFiles) use the same reader, once per file
    environmentFile: service.environmentFile ?? (service.environmentFiles.length > 0 ? paths.environment : null),
    environmentFiles: service.environmentFiles.length > 0 ? service.environmentFiles.map((f) => ({ ...f })) : null,
    envDir: paths.environment,
    envParent: SH_RUNTIME.environment,
    cleanup: handedOver(service).length > 0,
    workingDirectory: service.workingDirectory,
    defaultPath: defaults.PATH,
    defaultUser: defaults.USER,
    defaultLogname: defaults.LOGNAME,
    defaultHome: defaults.HOME,
    environment: service.environment.map(([name, value]) => ({ name, value })),
    chpst: chpstArgs(service),
    sandbox: bwrapArgs(service),
    timeout: service.limits.runtimeMs === null ? null : toSeconds(service.limits.runtimeMs),
    command: [...service.command],
    precondition: service.precondition ? [...service.precondition] : null,
    onFailure: service.onFailure ? [...service.onFailure] : null,
    calendar,
    calendarText: schedule.kind === 'calendar' ? schedule.calendar : '',
    interval: schedule.kind === 'interval' ? toSeconds(schedule.intervalMs) : 0,
    jitter: schedule.kind === 'daemon' ? 0 : toSeconds(schedule.randomizedDelayMs),
    firstDelay: schedule.kind === 'interval' ? toSeconds(schedule.onBootMs ?? 0) : 0,
    ...lifecycleRunView(service, layout, user),
    ...shNotifyView(service, true),
  };
}

/** What run does for the lifecycle fields: oneshot, reload commands, waits for required services, directories. */
function lifecycleRunView(service: ServiceModel, layout: RunitLayout, user: string) {
  const life = service.lifecycle;
  const own = [...managedPaths(service), ...service.directories.flatMap((d) => d.paths)];
  const directories = service.directories.flatMap((d) =>
    d.paths.map((path) => ({
      path,
      // systemd's default mode for every kind
      mode: d.mode ?? '0755',
      byUser: user !== 'root' && own.some((other) => other !== path && isWithin(path, other)),
    })),
  );
  return {
    oneshot: life.type === 'oneshot',
    remainAfterExit: life.remainAfterExit,
    reloadCommands: life.reload?.kind === 'commands' ? life.reload.commands.map((argv) => [...argv]) : null,
    // a required unit that is a service is the runit service of that name; other unit types mean nothing to runit
    requires: service.requires.filter((unit) => unit.endsWith('.service')).map((unit) => `${layout.scanDir}/${unit.slice(0, -'.service'.length)}`),
    // as for requires: a conflicting unit that is a service is the runit service of that name
    conflicts: service.conflicts.filter((unit) => unit.endsWith('.service')).map((unit) => `${layout.scanDir}/${unit.slice(0, -'.service'.length)}`),
    directories: directories.length > 0 ? directories : null,
    documentation: [...service.documentation],
    beforeStart: life.beforeStart.map((step, index) => ({ command: [...step.command], ignoreFailure: step.ignoreFailure, index })),
    stopCommands: life.stop.length > 0 ? life.stop.map((step, index) => ({ command: [...step.command], ignoreFailure: step.ignoreFailure, index })) : null,
    afterStopCommands: life.afterStop.length > 0 ? life.afterStop.map((step, index) => ({ command: [...step.command], ignoreFailure: step.ignoreFailure, index })) : null,
  };
}

/** Linux's numbers for the signals the spec names (signal(7), x86 and ARM): finish sees the number. */
const SIGNAL_NUMBERS: Readonly<Record<string, number>> = { HUP: 1, INT: 2, QUIT: 3, ABRT: 6, KILL: 9, USR1: 10, USR2: 12, ALRM: 14, TERM: 15, CONT: 18, URG: 23, WINCH: 28, PWR: 30 };

/** exitStatus as finish's case patterns: exit codes, and signal numbers (the model spells signals SIGNAME). */
function statusCases(list: readonly string[], except: { codes: readonly number[]; signals: readonly number[] } = { codes: [], signals: [] }): { codes: number[]; signals: number[] } {
  const codes = list.filter((s) => /^[0-9]+$/.test(s)).map(Number).filter((c) => !except.codes.includes(c));
  const signals = list.filter((s) => s.startsWith('SIG')).map((s) => SIGNAL_NUMBERS[s.slice(3)] as number).filter((n) => !except.signals.includes(n));
  return { codes, signals };
}

function finishView(service: ServiceModel, model: SpecModel) {
  const schedule = service.schedule;
  const cleanup = handedOver(service);
  return {
    ...common(service, model),
    daemon: schedule.kind === 'daemon',
    onFailure: service.onFailure !== null,
    restart: schedule.kind === 'daemon' ? schedule.restart : 'always',
    // runsv waits 1 s by itself before a restart
    restartDelay: schedule.kind === 'daemon' && schedule.restartDelayMs > 1000 ? toSeconds(schedule.restartDelayMs - 1000) : null,
    cleanup: cleanup.length > 0 ? cleanup : null,
    ...finishLifecycleView(service),
  };
}

function finishLifecycleView(service: ServiceModel) {
  // the stop signal ends a stop as TERM does: a clean end, as systemd counts its KillSignal=
  const stop = service.lifecycle.stopSignal;
  const stopStatus = stop !== null && !['HUP', 'INT', 'TERM'].includes(stop) ? [`SIG${stop}`] : [];
  // finish already counts these as clean: exit 0, HUP, INT, PIPE and TERM
  const success = statusCases([...new Set([...service.lifecycle.successStatus, ...stopStatus])], { codes: [0], signals: [1, 2, 13, 15] });
  const prevent = statusCases(service.lifecycle.preventRestartStatus);
  return {
    successCodes: success.codes,
    successSignals: success.signals,
    preventRestart: prevent.codes.length + prevent.signals.length > 0,
    afterStop: service.lifecycle.afterStop.length > 0,
    preventCodes: prevent.codes,
    preventSignals: prevent.signals,
  };
}

function logRunView(service: ServiceModel, model: SpecModel) {
  return {
    ...common(service, model),
    logDir: service.logging.dir,
    maxSize: service.logging.maxSizeBytes,
    keep: service.logging.keep,
    logUser: service.logging.user ?? RUNIT_LOG_USER,
  };
}

/** control/h and control/t (runsv(8)): reload and stop as the spec says; forking is refused here. */
function controlScripts(service: ServiceModel, model: SpecModel, dir: string, templates: TemplateSet, fail: (key: string, message: string) => void): DesiredEntry[] {
  const life = service.lifecycle;
  if (life.type === 'forking') fail('forking', 'runit cannot supervise a daemon that forks: runsv must be its parent; run it in the foreground (most daemons have a flag for it) and leave forking out');
  const entries: DesiredEntry[] = [];
  const script = (name: string, view: object): DesiredEntry => ({
    kind: 'file',
    path: `${dir}/control/${name}`,
    mode: FILE_MODE.script,
    content: templateOf(templates, `runit/control-${name}`)({ header: generatedHeader(model.specName), name: service.name, ...view }),
    service: service.name,
  });
  // HUP is what runsv sends anyway
  const reload = life.reload;
  if (reload && !(reload.kind === 'signal' && reload.signal === 'HUP')) entries.push(script('h', { reloadSignal: reload.kind === 'signal' ? reload.signal : null }));
  const stopSignal = life.stopSignal !== null && life.stopSignal !== 'TERM' ? life.stopSignal : null;
  if (stopSignal !== null || life.stop.length > 0) entries.push(script('t', { stopSignal, stopCommands: life.stop.length > 0 }));
  return entries;
}

export function renderRunitService(
  service: ServiceModel,
  model: SpecModel,
  layout: RunitLayout,
  templates: TemplateSet,
  problems: Problem[],
): { entries: DesiredEntry[]; handle: RunitHandle } {
  const dir = `${layout.serviceDir}/${service.name}`;
  const fail = (key: string, message: string) =>
    problems.push({ severity: 'error', file: model.specName, pointer: pointerOf(['services', service.name, key]), message });
  const script = (path: string, content: string): DesiredEntry => ({
    kind: 'file',
    path,
    mode: FILE_MODE.script,
    content,
    service: service.name,
  });
  const entries: DesiredEntry[] = [
    script(`${dir}/run`, templateOf(templates, 'runit/run')(runView(service, model, layout, fail))),
    script(`${dir}/log/run`, templateOf(templates, 'runit/log-run')(logRunView(service, model))),
  ];
  if (service.schedule.kind === 'daemon' || handedOver(service).length > 0) {
    entries.push(script(`${dir}/finish`, templateOf(templates, 'runit/finish')(finishView(service, model))));
  }
  entries.push(...controlScripts(service, model, dir, templates, fail));
  const enableLink = `${layout.enableDir}/${service.name}`;
  entries.push({ kind: 'symlink', path: enableLink, target: dir, service: service.name });
  return {
    entries,
    handle: {
      target: 'runit',
      name: service.name,
      periodic: service.schedule.kind !== 'daemon',
      serviceDir: dir,
      enableLink,
      scanDir: layout.scanDir,
      logDir: service.logging.dir,
      accounts: accountsOf(service, serviceUserOf(service), [service.logging.user ?? RUNIT_LOG_USER]),
    },
  };
}

/**
 * Model -> two s6-rc source definitions in /etc/s6/adminsv and an enable file: NAME-srv (a longrun: run, the job or
 * the timer loop around it; finish, the restart policy and failure hook and the removal of what root handed the
 * job), NAME-log (a longrun running s6-log as its own user) joined to it as producer and consumer in the pipeline
 * NAME, and default/contents.d/NAME, which puts the pipeline in the bundle boot brings up. Pure.
 *
 * Trust: run and finish run as root next to a job (and an s6-log) that do not. What cannot be made safe in sh is
 * refused (../sh-paths.ts) before anything is generated; the pieces are runit's (templates/sh/), the user is
 * dropped with s6-setuidgid or s6-applyuidgid instead of chpst.
 */
import { pointerOf, type Problem } from '../../model/problem.js';
import type { ServiceModel, SpecModel } from '../../model/types.js';
import { toSeconds } from '../../model/units.js';
import { accountsOf } from '../../render/accounts.js';
import { templateOf, type TemplateSet } from '../../render/engine.js';
import { FILE_MODE } from '../../render/file-modes.js';
import { generatedHeader } from '../../render/header.js';
import type { DesiredEntry } from '../../render/types.js';
import { ownedDirectories } from '../sh-paths.js';
import { bwrapArgs, handedOver, niceOf, runtimePaths, SH_RUNTIME } from '../sh-runtime.js';
import { serviceUserOf } from '../sh-user.js';
import { toSnoozeArgs } from '../snooze.js';
import { S6_LOG_USER, s6Names } from './facts.js';
import { s6Paths, type S6Handle } from './handle.js';

/** The names the script always gives the job unless the spec sets them itself. */
const DEFAULT_NAMES = ['PATH', 'USER', 'LOGNAME', 'HOME'] as const;

/** How long s6-supervise waits after the down signal before SIGKILL (timeout-kill). */
const KILL_AFTER_MS = 10_000;

/** s6-log rotates at no less than 4096 bytes (s6-log(8)). */
const S6_LOG_MIN_SIZE = 4096;

/**
 * prlimit's options: each limit soft and hard (s6-softlimit sets the soft limit only, which the job could raise).
 * memory as chpst -m counts it: data, stack, locked memory and address space.
 */
export function prlimitArgs(service: ServiceModel): string[] {
  const l = service.limits;
  const both = (name: string, n: number) => `--${name}=${n}:${n}`;
  return [
    ...(l.memoryBytes === null ? [] : ['data', 'stack', 'memlock', 'as'].map((n) => both(n, l.memoryBytes as number))),
    ...(l.nofile === null ? [] : [both('nofile', l.nofile)]),
    ...(l.nproc === null ? [] : [both('nproc', l.nproc)]),
  ];
}

/** Who the job becomes: nothing (root), the user with its groups from /etc/group, or exactly the groups the spec names. */
function identityOf(service: ServiceModel): { user: string; group: string | null; groups: string[] } {
  const user = serviceUserOf(service);
  const identity = service.identity.kind === 'user' ? service.identity : null;
  return { user, group: identity?.group ?? null, groups: [...(identity?.supplementaryGroups ?? [])] };
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

function runView(service: ServiceModel, model: SpecModel, fail: (key: string, message: string) => void) {
  const schedule = service.schedule;
  let calendar: string[] | null = null;
  if (schedule.kind === 'calendar') {
    const snooze = schedule.calendarSpec ? toSnoozeArgs(schedule.calendarSpec) : ({ ok: false, reason: 'not a valid calendar expression' } as const);
    if (snooze.ok) {
      calendar = [...snooze.args];
      if (schedule.randomizedDelayMs > 0) calendar.push('-R', String(toSeconds(schedule.randomizedDelayMs)));
    } else {
      fail('calendar', `s6 (snooze) cannot express ${JSON.stringify(schedule.calendar)}: ${snooze.reason}`);
    }
  }
  const { user, group, groups } = identityOf(service);
  const paths = runtimePaths(service.name);
  const specNames = new Set(service.environment.map(([name]) => name));
  const defaults = Object.fromEntries(DEFAULT_NAMES.map((name) => [name, !specNames.has(name)]));
  const nice = niceOf(service);
  const explicitGroups = user !== 'root' && (group !== null || groups.length > 0);
  return {
    ...common(service, model),
    srvName: s6Names(service.name).srv,
    description: service.description,
    periodic: schedule.kind !== 'daemon',
    user,
    asRoot: user === 'root',
    // s6-setuidgid: the user's uid, primary gid and supplementary groups from /etc/group (as systemd's User=);
    // s6-applyuidgid with the ids looked up when the spec names the groups itself
    explicitGroups,
    primaryGroup: group ?? user,
    supplementaryGroups: groups,
    ownedDirectories: ownedDirectories(service, user),
    secrets: service.credentials.length > 0 || service.environmentFile !== null,
    runtimeDirs: service.credentials.length > 0 || service.environmentFile !== null,
    credentialsDir: service.credentials.length > 0 ? paths.credentials : null,
    credentialsParent: SH_RUNTIME.credentials,
    credentials: service.credentials.map(([name, path]) => ({ name, path })),
    environmentFile: service.environmentFile,
    envDir: paths.environment,
    envParent: SH_RUNTIME.environment,
    cleanup: handedOver(service).length > 0,
    workingDirectory: service.workingDirectory,
    defaultPath: defaults.PATH,
    defaultUser: defaults.USER,
    defaultLogname: defaults.LOGNAME,
    defaultHome: defaults.HOME,
    environment: service.environment.map(([name, value]) => ({ name, value })),
    prlimit: prlimitArgs(service),
    nice: nice !== null && nice !== 0 ? String(nice) : null,
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
  };
}

function finishView(service: ServiceModel, model: SpecModel) {
  const schedule = service.schedule;
  const cleanup = handedOver(service);
  return {
    ...common(service, model),
    daemon: schedule.kind === 'daemon',
    onFailure: service.onFailure !== null,
    restart: schedule.kind === 'daemon' ? schedule.restart : 'always',
    // s6-supervise waits 1 s by itself between two starts
    restartDelay: schedule.kind === 'daemon' && schedule.restartDelayMs > 1000 ? toSeconds(schedule.restartDelayMs - 1000) : null,
    cleanup: cleanup.length > 0 ? cleanup : null,
  };
}

function logRunView(service: ServiceModel, model: SpecModel) {
  return {
    ...common(service, model),
    logDir: service.logging.dir,
    maxSize: Math.max(S6_LOG_MIN_SIZE, service.logging.maxSizeBytes),
    keep: service.logging.keep,
    logUser: service.logging.user ?? S6_LOG_USER,
  };
}

/** `after:`/`wants:` units that are services of this spec: s6-rc dependencies on their longruns. */
function dependenciesOf(service: ServiceModel, model: SpecModel): string[] {
  const names = new Set(model.services.map((s) => s.name));
  const units = [...service.after, ...service.wants].map((unit) => unit.replace(/\.service$/, ''));
  return [...new Set(units.filter((n) => n !== service.name && names.has(n)))].sort().map((n) => s6Names(n).srv);
}

export function renderS6Service(service: ServiceModel, model: SpecModel, templates: TemplateSet, problems: Problem[]): { entries: DesiredEntry[]; handle: S6Handle } {
  const names = s6Names(service.name);
  const paths = s6Paths(service.name);
  const fail = (key: string, message: string) =>
    problems.push({ severity: 'error', file: model.specName, pointer: pointerOf(['services', service.name, key]), message });
  const file = (path: string, content: string, mode: number = FILE_MODE.config): DesiredEntry => ({ kind: 'file', path, mode, content, service: service.name });
  const srv = paths.sourceDir;
  const log = paths.logSourceDir;
  const finish = finishView(service, model);
  const entries: DesiredEntry[] = [
    file(`${srv}/type`, 'longrun\n'),
    file(`${srv}/run`, templateOf(templates, 's6/run')(runView(service, model, fail)), FILE_MODE.script),
    file(`${srv}/producer-for`, `${names.log}\n`),
    file(`${log}/type`, 'longrun\n'),
    file(`${log}/run`, templateOf(templates, 's6/log-run')(logRunView(service, model)), FILE_MODE.script),
    file(`${log}/consumer-for`, `${names.srv}\n`),
    file(`${log}/pipeline-name`, `${names.pipeline}\n`),
    // the enable: the pipeline (both longruns) in the bundle boot brings up
    file(paths.enableFile, ''),
    // a run script (or s6-log) blocked on a logger that does not read ignores TERM until it can write: killed
    // after 10 s, so that a stop or an uninstall always ends (test/security/s6-attacks.test.ts)
    file(`${srv}/timeout-kill`, `${KILL_AFTER_MS}\n`),
    file(`${log}/timeout-kill`, `${KILL_AFTER_MS}\n`),
  ];
  if (service.schedule.kind === 'daemon' || handedOver(service).length > 0) {
    entries.push(file(`${srv}/finish`, templateOf(templates, 's6/finish')(finish), FILE_MODE.script));
  }
  if (finish.restartDelay !== null) {
    // s6-supervise kills a finish script after 5 s unless told otherwise: the restart delay is spent there
    entries.push(file(`${srv}/timeout-finish`, `${(finish.restartDelay + 5) * 1000}\n`));
  }
  for (const dep of dependenciesOf(service, model)) entries.push(file(`${srv}/dependencies.d/${dep}`, ''));
  return {
    entries,
    handle: {
      target: 's6',
      name: service.name,
      periodic: service.schedule.kind !== 'daemon',
      ...paths,
      logDir: service.logging.dir,
      accounts: accountsOf(service, serviceUserOf(service), [service.logging.user ?? S6_LOG_USER]),
    },
  };
}

/**
 * Model -> a dinit service: its description /etc/dinit.d/NAME (type = process, the run script as its command, the
 * logfile, the restart policy), the run script pvpn-gen keeps in root's own directory (the job, or the timer loop
 * around it, with the pieces every root-run sh script shares: templates/sh/), and the enable link in the boot
 * service's waits-for.d. Pure.
 *
 * Trust: the run script runs as root next to a job that does not. What cannot be made safe in sh is refused before
 * anything is generated (../sh-paths.ts).
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
import { dinitPaths } from './facts.js';
import type { DinitHandle } from './handle.js';

/** The names the script always gives the job unless the spec sets them itself. */
const DEFAULT_NAMES = ['PATH', 'USER', 'LOGNAME', 'HOME'] as const;

/** prlimit's options: soft and hard limits alike, as chpst sets them on runit (memory: data, stack, address space). */
export function prlimitArgs(service: ServiceModel): string[] {
  const l = service.limits;
  const args: string[] = [];
  if (l.memoryBytes !== null) for (const r of ['data', 'stack', 'as']) args.push(`--${r}=${l.memoryBytes}:${l.memoryBytes}`);
  if (l.nofile !== null) args.push(`--nofile=${l.nofile}:${l.nofile}`);
  if (l.nproc !== null) args.push(`--nproc=${l.nproc}:${l.nproc}`);
  return args;
}

/**
 * setpriv's options: no new privileges for the basic and strict profiles; the user with an explicit group (and the
 * supplementary groups) as given, or (initGroups) with its primary group and every group it is a member of, which
 * the script looks up when it runs. A job that runs as root keeps root.
 */
export function setprivArgs(service: ServiceModel): { args: string[]; initGroups: boolean } {
  const args = service.hardening.profile === 'none' ? [] : ['--no-new-privs'];
  const user = serviceUserOf(service);
  if (user === 'root') return { args, initGroups: false };
  const identity = service.identity.kind === 'user' ? service.identity : null;
  const primary = identity?.group ?? null;
  const extra = identity?.supplementaryGroups ?? [];
  if (primary === null && extra.length === 0) return { args, initGroups: true };
  const group = primary ?? user;
  return { args: [...args, '--reuid', user, '--regid', group, '--groups', [group, ...extra].join(',')], initGroups: false };
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
      fail('calendar', `dinit (snooze) cannot express ${JSON.stringify(schedule.calendar)}: ${snooze.reason}`);
    }
  }
  const user = serviceUserOf(service);
  const paths = runtimePaths(service.name);
  const specNames = new Set(service.environment.map(([name]) => name));
  const defaults = Object.fromEntries(DEFAULT_NAMES.map((name) => [name, !specNames.has(name)]));
  const setpriv = setprivArgs(service);
  const prlimit = prlimitArgs(service);
  return {
    header: generatedHeader(model.specName),
    name: service.name,
    umask: service.hardening.profile === 'none' ? '022' : '077',
    runsFile: paths.runs,
    runsBase: SH_RUNTIME.runsBase,
    service: dinitPaths(service.name).service,
    description: service.description,
    periodic: schedule.kind !== 'daemon',
    user,
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
    usesSetpriv: setpriv.args.length > 0 || setpriv.initGroups || user !== 'root',
    setpriv: setpriv.args,
    initGroups: setpriv.initGroups,
    prlimit: prlimit.length > 0 ? prlimit : null,
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

function serviceView(service: ServiceModel, model: SpecModel) {
  const schedule = service.schedule;
  const paths = dinitPaths(service.name);
  // a periodic job's loop is restarted whenever it ends; a daemon as the spec says
  const restart = schedule.kind === 'daemon' ? schedule.restart : 'always';
  const nice = niceOf(service);
  return {
    header: generatedHeader(model.specName),
    name: service.name,
    description: service.description,
    run: paths.run,
    user: serviceUserOf(service),
    command: [paths.run],
    logFile: paths.logFile,
    restartAlways: restart === 'always',
    restartOnFailure: restart === 'on-failure',
    restartNever: restart === 'no',
    restartDelay: schedule.kind === 'daemon' ? schedule.restartDelayMs / 1000 : 1,
    nice: nice !== null && nice !== 0 ? nice : null,
  };
}

export function renderDinitService(service: ServiceModel, model: SpecModel, templates: TemplateSet, problems: Problem[]): { entries: DesiredEntry[]; handle: DinitHandle } {
  const paths = dinitPaths(service.name);
  const fail = (key: string, message: string) =>
    problems.push({ severity: 'error', file: model.specName, pointer: pointerOf(['services', service.name, key]), message });
  const entries: DesiredEntry[] = [
    { kind: 'file', path: paths.service, mode: FILE_MODE.unit, content: templateOf(templates, 'dinit/service')(serviceView(service, model)), service: service.name },
    { kind: 'file', path: paths.run, mode: FILE_MODE.script, content: templateOf(templates, 'dinit/run')(runView(service, model, fail)), service: service.name },
    // `dinitctl enable` makes it relative (../NAME); absolute is the same to dinit, and to the install as runit's links
    { kind: 'symlink', path: paths.enableLink, target: paths.service, service: service.name },
  ];
  return {
    entries,
    handle: {
      target: 'dinit',
      name: service.name,
      periodic: service.schedule.kind !== 'daemon',
      service: paths.service,
      enableLink: paths.enableLink,
      run: paths.run,
      logFile: paths.logFile,
      accounts: accountsOf(service, serviceUserOf(service), []),
    },
  };
}


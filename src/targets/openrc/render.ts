/**
 * Model -> OpenRC: /etc/init.d/NAME (openrc-run: supervise-daemon keeps the run script going, `runnow` for periodic
 * jobs, depend() from after/wants), the run script it supervises (the job, or the timer loop around it: the sh
 * pieces runit's run shares, templates/sh/), and the enable link in the default runlevel. Pure.
 *
 * Trust: the run script runs as root next to a job that does not; it drops to the user with setpriv (util-linux:
 * on every OpenRC system, unlike runit's chpst). What cannot be made safe in sh is refused (../sh-paths.ts).
 */
import { pointerOf, type Problem } from '../../model/problem.js';
import type { ServiceModel, SpecModel } from '../../model/types.js';
import { toSeconds } from '../../model/units.js';
import { accountsOf } from '../../render/accounts.js';
import { templateOf, type TemplateSet } from '../../render/engine.js';
import { shQuote } from '../../render/escape.js';
import { FILE_MODE } from '../../render/file-modes.js';
import { generatedHeader } from '../../render/header.js';
import type { DesiredEntry } from '../../render/types.js';
import { ownedDirectories } from '../sh-paths.js';
import { bwrapArgs, handedOver, niceOf, runtimePaths, SH_RUNTIME } from '../sh-runtime.js';
import { serviceUserOf } from '../sh-user.js';
import { toSnoozeArgs } from '../snooze.js';
import { openrcPaths } from './facts.js';
import type { OpenrcHandle } from './handle.js';

/** The names the script always gives the job unless the spec sets them itself. */
const DEFAULT_NAMES = ['PATH', 'USER', 'LOGNAME', 'HOME'] as const;

/** prlimit(1)'s options: both the soft and the hard limit (as chpst sets them for runit). */
export function prlimitArgs(service: ServiceModel): string[] {
  const l = service.limits;
  const args: string[] = [];
  if (l.memoryBytes !== null) args.push(`--as=${l.memoryBytes}`, `--data=${l.memoryBytes}`);
  if (l.nofile !== null) args.push(`--nofile=${l.nofile}`);
  if (l.nproc !== null) args.push(`--nproc=${l.nproc}`);
  return args;
}

/**
 * An OpenRC service name for a systemd unit name in after/wants: `NAME.service` is NAME; the network targets are
 * OpenRC's virtual `net`; other targets have no OpenRC counterpart (null).
 */
export function openrcDependency(unit: string): string | null {
  if (unit.endsWith('.service')) return unit.slice(0, -'.service'.length);
  if (unit === 'network.target' || unit === 'network-online.target') return 'net';
  if (/\.(target|socket|timer|path|mount|device|slice|scope)$/.test(unit)) return null;
  return unit;
}

function dependencies(units: readonly string[]): string[] {
  return [...new Set(units.map(openrcDependency).filter((d): d is string => d !== null))];
}

/** What sh changes in the environment it was started with: put back (the spec's value) or taken away. */
const SH_CHANGES = ['IFS', 'OPTIND', 'PPID', 'PWD'] as const;

/**
 * The sh that exports the environment file's variables as the user (their values come on descriptor 3, as
 * `ENVDIR/NAME:value` lines, never on a command line). dash resets IFS, OPTIND and PPID when they are in its
 * environment and always exports PWD: those get the spec's value back, or PWD goes.
 */
export function envFileTrampoline(service: ServiceModel): string {
  const spec = new Map(service.environment);
  const restore = SH_CHANGES.flatMap((name) => {
    const value = spec.get(name);
    if (value !== undefined) return [`export ${shQuote(`${name}=${value}`)};`];
    return name === 'PWD' ? ['unset PWD;'] : [];
  });
  // biome-ignore lint/suspicious/noTemplateCurlyInString: shell text, expanded by sh as the user
  return [...restore, 'while IFS= read -r kv <&3; do case $kv in "$0"/*:*) kv=${kv#"$0"/} && export "${kv%%:*}=${kv#*:}" ;; esac; done; exec 3<&- "$@"'].join(' ');
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
      fail('calendar', `OpenRC (snooze) cannot express ${JSON.stringify(schedule.calendar)}: ${snooze.reason}`);
    }
  }
  const user = serviceUserOf(service);
  const identity = service.identity.kind === 'user' ? service.identity : null;
  const extra = identity?.supplementaryGroups ?? [];
  const primary = identity?.group ?? null;
  const paths = runtimePaths(service.name);
  const specNames = new Set(service.environment.map(([name]) => name));
  const defaults = Object.fromEntries(DEFAULT_NAMES.map((name) => [name, !specNames.has(name)]));
  const prlimit = prlimitArgs(service);
  const nice = niceOf(service);
  return {
    header: generatedHeader(model.specName),
    name: service.name,
    description: service.description,
    initScript: openrcPaths(service.name).initScript,
    umask: service.hardening.profile === 'none' ? '022' : '077',
    runsFile: paths.runs,
    runsBase: SH_RUNTIME.runsBase,
    logDir: service.logging.dir,
    maxSize: service.logging.maxSizeBytes,
    keep: service.logging.keep,
    periodic: schedule.kind !== 'daemon',
    user,
    group: primary,
    dropUser: user !== 'root',
    // as chpst -u user:group:extra sets them: exactly those groups; with neither, the user's own (initgroups)
    groups: primary === null && extra.length === 0 ? null : [primary ?? user, ...extra].join(','),
    noNewPrivs: service.hardening.profile !== 'none',
    ownedDirectories: ownedDirectories(service, user),
    secrets: service.credentials.length > 0 || service.environmentFile !== null,
    runtimeDirs: service.credentials.length > 0 || service.environmentFile !== null,
    credentialsDir: service.credentials.length > 0 ? paths.credentials : null,
    credentialsParent: SH_RUNTIME.credentials,
    credentials: service.credentials.map(([name, path]) => ({ name, path })),
    environmentFile: service.environmentFile,
    trampoline: envFileTrampoline(service),
    envDir: paths.environment,
    envParent: SH_RUNTIME.environment,
    cleanup: handedOver(service).length > 0,
    workingDirectory: service.workingDirectory,
    defaultPath: defaults.PATH,
    defaultUser: defaults.USER,
    defaultLogname: defaults.LOGNAME,
    defaultHome: defaults.HOME,
    environment: service.environment.map(([name, value]) => ({ name, value })),
    prlimit: prlimit.length > 0 ? prlimit : null,
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
    restart: schedule.kind === 'daemon' ? schedule.restart : 'always',
    restartDelay: schedule.kind === 'daemon' ? Math.max(1, toSeconds(schedule.restartDelayMs)) : 0,
  };
}

function initView(service: ServiceModel, model: SpecModel) {
  const after = dependencies(service.after);
  const wants = dependencies(service.wants);
  return {
    header: generatedHeader(model.specName),
    name: service.name,
    description: service.description,
    user: serviceUserOf(service),
    runScript: openrcPaths(service.name).runScript,
    periodic: service.schedule.kind !== 'daemon',
    after,
    wants,
  };
}

export function renderOpenrcService(service: ServiceModel, model: SpecModel, templates: TemplateSet, problems: Problem[]): { entries: DesiredEntry[]; handle: OpenrcHandle } {
  const paths = openrcPaths(service.name);
  const fail = (key: string, message: string) =>
    problems.push({ severity: 'error', file: model.specName, pointer: pointerOf(['services', service.name, key]), message });
  const script = (path: string, content: string): DesiredEntry => ({ kind: 'file', path, mode: FILE_MODE.script, content, service: service.name });
  const entries: DesiredEntry[] = [
    script(paths.initScript, templateOf(templates, 'openrc/init')(initView(service, model))),
    script(paths.runScript, templateOf(templates, 'openrc/run')(runView(service, model, fail))),
    // what `rc-update add NAME default` makes
    { kind: 'symlink', path: paths.enableLink, target: paths.initScript, service: service.name },
  ];
  return {
    entries,
    handle: {
      target: 'openrc',
      name: service.name,
      periodic: service.schedule.kind !== 'daemon',
      ...paths,
      logDir: service.logging.dir,
      accounts: accountsOf(service, serviceUserOf(service)),
    },
  };
}

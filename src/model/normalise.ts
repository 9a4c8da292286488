/**
 * Validated spec document -> SpecModel. Pure. Merges `defaults` under each service, parses units, resolves every
 * optional setting, and checks what a schema cannot say well (settings that only make sense together). Each of
 * `variants` is normalised the same way (its fields merged over the service's), its problems placed in the variant.
 */
import { SpecError } from '../errors.js';
import { parseCalendar } from './calendar.js';
import { pointerOf, type Problem } from './problem.js';
import { closest } from './suggest.js';
import type { SpecSource } from './source.js';
import type {
  Argv,
  DirectoryKind,
  Hardening,
  HardeningFields,
  Identity,
  Lifecycle,
  Notify,
  NotifyEvent,
  Schedule,
  ServiceFields,
  Step,
  ServiceModel,
  SpecDocument,
  SpecModel,
  VariantDocument,
} from './types.js';
import { parseDuration, parseSize } from './units.js';

const DEFAULT_PROJECT = 'default';
const DEFAULT_ACCURACY_MS = 1000; // systemd's own default (1min) would make a 2 s interval fire a minute late
const DEFAULT_LOG_MAX_SIZE = 1024 * 1024;
const DEFAULT_LOG_KEEP = 10;
/** Users systemd itself warns about ("Special user nobody configured, this is not safe!"). */
const SHARED_NOBODY = new Set(['nobody', 'nogroup', 'nfsnobody']);

/** Objects in a service merge key by key over the same object in `defaults`; everything else replaces. */
const MERGED_OBJECTS = ['environment', 'credentials', 'limits', 'logging'] as const;
const NOTIFY_EVENTS: readonly NotifyEvent[] = ['failure', 'recovery', 'changed', 'success', 'skipped'];
const DEFAULT_NOTIFY_EVENTS: readonly NotifyEvent[] = ['failure', 'recovery', 'changed'];

function mergeDefaults(defaults: ServiceFields | undefined, service: ServiceFields): ServiceFields {
  if (!defaults) return service;
  const merged: Record<string, unknown> = { ...defaults, ...service };
  for (const key of MERGED_OBJECTS) {
    if (defaults[key] && service[key]) merged[key] = { ...defaults[key], ...service[key] };
  }
  if (defaults.hardening !== undefined && service.hardening !== undefined) {
    merged.hardening = { ...asHardeningFields(defaults.hardening), ...asHardeningFields(service.hardening) };
  }
  return merged as ServiceFields;
}

function asHardeningFields(value: ServiceFields['hardening']): HardeningFields {
  return typeof value === 'string' ? { profile: value } : (value ?? {});
}

export function normaliseSpec(document: SpecDocument, source: SpecSource, specName: string): SpecModel {
  const problems: Problem[] = [];
  const services = normaliseServices(document, source, problems);
  const variants = Object.entries(document.variants ?? {}).map(([name, variant]) => [name, normaliseServices(document, source, problems, { name, variant })] as const);
  if (problems.length > 0) throw new SpecError(uniqueProblems(problems));
  return { specName, project: document.project ?? DEFAULT_PROJECT, services, ...(document.variants ? { variants: Object.fromEntries(variants) } : {}) };
}

/** The services as written, or as a variant changes them (its fields merged over the service's, `false` left out). */
function normaliseServices(document: SpecDocument, source: SpecSource, problems: Problem[], overlay?: { name: string; variant: VariantDocument }): ServiceModel[] {
  const problem = (pointer: string, message: string) =>
    problems.push({ severity: 'error', file: source.file, position: source.locate(pointer, 'key'), pointer, message });
  if (overlay) {
    const names = Object.keys(document.services);
    for (const name of Object.keys(overlay.variant.services).filter((n) => !(n in document.services))) {
      const guess = closest(name, names);
      problem(pointerOf(['variants', overlay.name, 'services', name]), `no service "${name}" under services: a variant changes the spec's services${guess ? `; did you mean "${guess}"?` : ''}`);
    }
  }
  const kept = Object.keys(document.services)
    .sort()
    .filter((name) => overlay?.variant.services[name] !== false);
  if (overlay && kept.length === 0) problem(pointerOf(['variants', overlay.name]), 'this variant leaves out every service: keep at least one, or remove the variant');
  return kept.map((name) => {
    const changes = overlay?.variant.services[name] || undefined;
    const own = changes ? mergeDefaults(document.services[name] ?? {}, changes) : (document.services[name] ?? {});
    const fields = mergeDefaults(document.defaults, own);
    const report = (key: string, message: string) => {
      const pointer =
        overlay && changes && key !== '' && key in changes
          ? pointerOf(['variants', overlay.name, 'services', name, key])
          : key in own || !document.defaults || !(key in document.defaults)
            ? pointerOf(['services', name, ...(key === '' ? [] : [key])])
            : pointerOf(['defaults', key]);
      problem(pointer, message);
    };
    return normaliseService(name, fields, report, own);
  });
}

/** A problem of the spec as written shows up again in each variant: say it once. */
function uniqueProblems(problems: readonly Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.pointer}\u0000${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

type Report = (key: string, message: string) => void;

function normaliseService(name: string, fields: ServiceFields, report: Report, own: ServiceFields = fields): ServiceModel {
  const setKeys = new Set(Object.keys(fields));
  // The schema admits only the forms these parsers read; what is left to refuse is a value too large to hold.
  // `key` places the message (a service field); `field` names what it is about, e.g. limits.runtime.
  const duration = (key: string, value: number | string | undefined, field = key): number | null => {
    if (value === undefined) return null;
    const ms = parseDuration(value);
    if (ms === undefined) report(key, `${field}: ${JSON.stringify(value)} is too long a time span`);
    return ms ?? null;
  };
  const size = (key: string, value: number | string | undefined, field: string): number | null => {
    if (value === undefined) return null;
    const bytes = parseSize(value);
    if (bytes === undefined) report(key, `${field}: ${JSON.stringify(value)} is too large a size`);
    return bytes ?? null;
  };

  const schedule = scheduleOf(fields, report, duration);
  const identity = identityOf(fields, report);
  const limits = fields.limits ?? {};
  const memoryBytes = size('limits', limits.memory, 'limits.memory');
  const runtimeMs = duration('limits', limits.runtime, 'limits.runtime');
  if (runtimeMs === 0) report('limits', 'limits.runtime must be longer than 0');
  for (const key of Object.keys(limits)) setKeys.add(`limits.${key}`);

  argumentLengths(fields, report);

  const hardeningFields = asHardeningFields(fields.hardening);
  for (const key of Object.keys(hardeningFields)) setKeys.add(`hardening.${key}`);
  // profile none asks for nothing, which every target does exactly (issue 12: it warned on runit, so specs that
  // match an unhardened original failed --strict)
  if (hardeningFields.profile === 'none') setKeys.delete('hardening.profile');
  const logging = fields.logging ?? {};

  return {
    name,
    description: fields.description ?? name,
    command: fields.command as Argv,
    precondition: fields.precondition ?? null,
    onFailure: fields.onFailure ?? null,
    notify: notifyOf(fields, schedule, report, own),
    changedExitStatus: schedule.kind === 'daemon' ? null : (fields.changedExitStatus ?? null),
    schedule,
    identity,
    workingDirectory: fields.workingDirectory ?? null,
    environment: Object.entries(fields.environment ?? {})
      .map(([key, value]) => [key, String(value)] as const)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    environmentFile: fields.environmentFile ?? null,
    credentials: Object.entries(fields.credentials ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    limits: {
      memoryBytes,
      cpuPercent: limits.cpu === undefined ? null : Number(limits.cpu.slice(0, -1)),
      nofile: limits.nofile ?? null,
      nproc: limits.nproc ?? null,
      runtimeMs,
    },
    nice: fields.nice ?? null,
    hardening: hardeningOf(hardeningFields),
    sandbox: fields.sandbox ?? 'none',
    logging: {
      dir: logging.dir ?? `/var/log/${name}`,
      maxSizeBytes: size('logging', logging.maxSize, 'logging.maxSize') ?? DEFAULT_LOG_MAX_SIZE,
      keep: logging.keep ?? DEFAULT_LOG_KEEP,
      user: logging.user ?? null,
    },
    after: fields.after ?? [],
    wants: fields.wants ?? [],
    requires: fields.requires ?? [],
    before: fields.before ?? [],
    conflicts: fields.conflicts ?? [],
    lifecycle: lifecycleOf(fields, schedule, report, duration),
    wantedBy: schedule.kind === 'daemon' ? (fields.wantedBy ?? null) : null,
    documentation: fields.documentation ?? [],
    environmentFiles: environmentFilesOf(fields, report),
    directories: directoriesOf(fields),
    setKeys,
  };
}

/**
 * Linux hands a program each argument, and each NAME=value of its environment, as one string of at most
 * MAX_ARG_STRLEN bytes with its NUL (execve(2) fails with E2BIG): neither systemd nor runit could start the job.
 */
const MAX_ARG_STRLEN = 32 * 4096;

function argumentLengths(fields: ServiceFields, report: Report): void {
  // the message is built only when needed, its numbers without Number#toLocaleString: that loads ICU's number
  // formatting, ~20 ms, which every run paid when this was written with it
  const check = (key: string, what: string, text: string, as = '') => {
    const bytes = Buffer.byteLength(text, 'utf8');
    if (bytes + 1 <= MAX_ARG_STRLEN) return;
    const limit = thousands(MAX_ARG_STRLEN - 1);
    report(key, `${what} is ${thousands(bytes)} bytes${as}; Linux passes at most ${limit} bytes per argument or variable (MAX_ARG_STRLEN): put the text in a file and pass its path`);
  };
  for (const key of ['command', 'precondition', 'onFailure'] as const) {
    for (const [i, arg] of (fields[key] ?? []).entries()) check(key, `${key}[${i}]`, arg);
  }
  for (const key of ['beforeStart', 'stop', 'afterStop'] as const) {
    for (const [n, step] of (fields[key] ?? []).entries()) {
      for (const [i, arg] of ('command' in step ? step.command : (step as Argv)).entries()) check(key, `${key}[${n}][${i}]`, arg);
    }
  }
  const reload = fields.reload;
  if (Array.isArray(reload)) for (const [n, argv] of reload.entries()) for (const [i, arg] of argv.entries()) check('reload', `reload[${n}][${i}]`, arg);
  const notify = typeof fields.notify === 'object' ? fields.notify : {};
  for (const [i, arg] of (notify.command ?? []).entries()) check('notify', `notify.command[${i}]`, arg);
  for (const [name, value] of Object.entries(fields.environment ?? {})) check('environment', `environment.${name}`, `${name}=${String(value)}`, ` as ${name}=value`);
}

/** 131072 -> "131,072" */
function thousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function scheduleOf(
  fields: ServiceFields,
  report: Report,
  duration: (key: string, value: number | string | undefined) => number | null,
): Schedule {
  const periodic = fields.interval !== undefined || fields.calendar !== undefined;
  if (fields.interval !== undefined && fields.calendar !== undefined) {
    report('calendar', 'set either interval or calendar, not both');
  }
  if (!periodic) {
    for (const key of ['randomizedDelay', 'onBoot', 'accuracy', 'persistent'] as const) {
      if (fields[key] !== undefined) report(key, `${key} only applies to periodic jobs; add interval or calendar, or remove it`);
    }
    if (fields.oneshot && fields.restart === 'always') {
      report('restart', 'a oneshot job cannot be restarted after it ends well (systemd refuses Restart=always for Type=oneshot): use restart: on-failure, or leave it out');
    }
    return {
      kind: 'daemon',
      // a oneshot job ends when it is done: restarting it would run it again and again
      restart: fields.restart ?? (fields.oneshot ? 'no' : 'always'),
      restartDelayMs: duration('restartDelay', fields.restartDelay) ?? 1000,
    };
  }
  for (const key of ['restart', 'restartDelay'] as const) {
    if (fields[key] !== undefined) report(key, `${key} only applies to daemons; a periodic job simply runs again at its next time`);
  }
  const randomizedDelayMs = duration('randomizedDelay', fields.randomizedDelay) ?? 0;
  const accuracyMs = duration('accuracy', fields.accuracy) ?? DEFAULT_ACCURACY_MS;
  if (fields.calendar !== undefined) {
    if (fields.onBoot !== undefined) report('onBoot', 'onBoot applies to interval jobs; a calendar job runs at its calendar times');
    const parsed = parseCalendar(fields.calendar);
    if (!parsed.ok) report('calendar', `invalid calendar expression: ${parsed.message}`);
    return {
      kind: 'calendar',
      calendar: parsed.ok ? parsed.normalized : fields.calendar,
      calendarSpec: parsed.ok ? parsed.value : null,
      persistent: fields.persistent ?? true,
      randomizedDelayMs,
      accuracyMs,
    };
  }
  if (fields.persistent !== undefined) report('persistent', 'persistent applies to calendar jobs (systemd Persistent=)');
  const intervalMs = duration('interval', fields.interval) ?? 0;
  if (intervalMs < 1000) report('interval', 'interval must be at least 1s');
  return { kind: 'interval', intervalMs, onBootMs: duration('onBoot', fields.onBoot), randomizedDelayMs, accuracyMs };
}

/** The fields that describe a daemon's start, reload and stop: a periodic job has none of them. */
const DAEMON_ONLY = ['readiness', 'forking', 'oneshot', 'remainAfterExit', 'reload', 'stopSignal', 'timeouts', 'exitStatus', 'restartLimit', 'beforeStart', 'stop', 'afterStop', 'killMode', 'wantedBy', 'conflicts'] as const;

function lifecycleOf(
  fields: ServiceFields,
  schedule: Schedule,
  report: Report,
  duration: (key: string, value: number | string | undefined, field?: string) => number | null,
): Lifecycle {
  if (schedule.kind !== 'daemon') {
    for (const key of DAEMON_ONLY) {
      if (fields[key] !== undefined) report(key, `${key} only applies to daemons and oneshot services; a periodic job is already run once per time (limits.runtime bounds a run)`);
    }
  }
  const kinds = (['readiness', 'forking', 'oneshot'] as const).filter((key) => fields[key] !== undefined);
  if (kinds.length > 1) report(kinds[1] as string, `set only one of readiness, forking and oneshot (this sets ${kinds.join(' and ')})`);
  if (fields.remainAfterExit !== undefined && !fields.oneshot) report('remainAfterExit', 'remainAfterExit applies to oneshot services: add oneshot: true, or remove it');
  const readiness = fields.readiness;
  const type = fields.oneshot ? 'oneshot' : fields.forking ? 'forking' : readiness !== undefined ? 'notify' : 'exec';
  const span = (which: 'start' | 'stop'): number | null => {
    const value = fields.timeouts?.[which];
    if (value === 'infinity') return Number.POSITIVE_INFINITY;
    const ms = duration('timeouts', value, `timeouts.${which}`);
    if (ms === 0) report('timeouts', `timeouts.${which} must be longer than 0 (write infinity for no limit)`);
    return ms;
  };
  const statuses = (list: readonly (number | string)[] | undefined) => (list ?? []).map((v) => (typeof v === 'number' ? String(v) : `SIG${v}`));
  const reload = fields.reload;
  const limit = fields.restartLimit;
  return {
    type,
    notifyAccess: readiness === undefined ? null : readiness === 'notify' ? 'main' : readiness.notify,
    pidFile: fields.forking?.pidFile ?? null,
    remainAfterExit: fields.remainAfterExit ?? false,
    reload: reload === undefined ? null : Array.isArray(reload) ? { kind: 'commands', commands: reload as readonly Argv[] } : { kind: 'signal', signal: (reload as { signal: string }).signal },
    stopSignal: fields.stopSignal ?? null,
    timeoutStartMs: span('start'),
    timeoutStopMs: span('stop'),
    successStatus: statuses(fields.exitStatus?.success),
    preventRestartStatus: statuses(fields.exitStatus?.preventRestart),
    restartLimit: limit === undefined ? null : { burst: limit.burst, intervalMs: duration('restartLimit', limit.interval, 'restartLimit.interval') ?? 0 },
    beforeStart: stepsOf(fields.beforeStart),
    stop: stepsOf(fields.stop),
    afterStop: stepsOf(fields.afterStop),
    killMode: fields.killMode ?? null,
  };
}

type StepField = ServiceFields['beforeStart'];

function stepsOf(steps: StepField): Step[] {
  return (steps ?? []).map((step) => ('command' in step ? { command: step.command, ignoreFailure: step.ignoreFailure ?? false } : { command: step as Argv, ignoreFailure: false }));
}

function environmentFilesOf(fields: ServiceFields, report: Report): ServiceModel['environmentFiles'] {
  if (fields.environmentFile !== undefined && fields.environmentFiles !== undefined) {
    report('environmentFiles', 'set either environmentFile or environmentFiles, not both: list every file in environmentFiles');
  }
  const files = (fields.environmentFiles ?? []).map((f) => (typeof f === 'string' ? { path: f, optional: false } : { path: f.path, optional: f.optional ?? false }));
  const seen = new Set<string>();
  for (const { path } of files) {
    if (seen.has(path)) report('environmentFiles', `environmentFiles lists ${path} twice`);
    seen.add(path);
  }
  return files;
}

const DIRECTORY_BASES: Readonly<Record<DirectoryKind, string>> = { runtime: '/run', state: '/var/lib', cache: '/var/cache', logs: '/var/log' };

function directoriesOf(fields: ServiceFields): ServiceModel['directories'] {
  const kinds = Object.keys(DIRECTORY_BASES) as DirectoryKind[];
  return kinds.flatMap((kind) => {
    const entry = fields.directories?.[kind];
    if (!entry) return [];
    const mode = entry.mode === undefined ? null : entry.mode.padStart(4, '0');
    return [{ kind, paths: entry.paths.map((p) => `${DIRECTORY_BASES[kind]}/${p}`), mode }];
  });
}

/**
 * notify: true is the defaults; false or absent, nobody is told. Periodic jobs only: a daemon has no runs (set in
 * `defaults`, it applies to the periodic jobs and daemons ignore it).
 */
function notifyOf(fields: ServiceFields, schedule: Schedule, report: Report, own: ServiceFields): Notify | null {
  if (schedule.kind === 'daemon') {
    for (const key of ['notify', 'changedExitStatus'] as const) {
      if (own[key] !== undefined) report(key, `${key} applies to periodic jobs (interval or calendar): a daemon has no runs to report`);
    }
    return null;
  }
  if (fields.notify === undefined || fields.notify === false) return null;
  const given = fields.notify === true ? {} : fields.notify;
  const on = new Set(given.on ?? DEFAULT_NOTIFY_EVENTS);
  const notify = { events: NOTIFY_EVENTS.filter((e) => on.has(e)), desktop: given.desktop ?? true, command: given.command ?? null };
  if (!notify.desktop && notify.command === null) report('notify', 'notify has nowhere to send: set desktop: true or a command');
  if (on.has('changed') && fields.changedExitStatus === undefined && given.on !== undefined) {
    report('notify', 'notify on changed needs changedExitStatus: the exit status by which the job says it changed something');
  }
  return notify;
}

function identityOf(fields: ServiceFields, report: Report): Identity {
  if (fields.user !== undefined && fields.dynamicUser === true) {
    report('dynamicUser', 'set either user or dynamicUser: true, not both');
  }
  for (const key of ['user', 'group'] as const) {
    const value = fields[key];
    if (value !== undefined && SHARED_NOBODY.has(value)) {
      report(key, `"${value}" is shared by unrelated programs and systemd flags it as unsafe; use a dedicated user (created at install) or dynamicUser: true`);
    }
  }
  if (fields.user === undefined && fields.dynamicUser === false) {
    report('dynamicUser', 'dynamicUser: false needs `user:` (a dedicated system user, or root if it really must)');
  }
  if (fields.user !== undefined) {
    return {
      kind: 'user',
      user: fields.user,
      group: fields.group ?? null,
      supplementaryGroups: fields.supplementaryGroups ?? [],
    };
  }
  return { kind: 'dynamic' };
}

function hardeningOf(fields: HardeningFields): Hardening {
  const raw = fields.systemd ?? {};
  const section = (key: 'Unit' | 'Service' | 'Timer') =>
    Object.entries(raw[key] ?? {}).map(
      ([directive, value]) => [directive, (Array.isArray(value) ? value : [value]).map(directiveText)] as const,
    );
  return {
    profile: fields.profile ?? 'strict',
    network: fields.network ?? true,
    writablePaths: fields.writablePaths ?? [],
    readOnlyPaths: fields.readOnlyPaths ?? [],
    capabilities: fields.capabilities ?? [],
    syscalls: fields.syscalls ?? [],
    devices: fields.devices ?? [],
    rawSystemd: { Unit: section('Unit'), Service: section('Service'), Timer: section('Timer') },
  };
}

/** systemd spells booleans yes/no. */
function directiveText(value: string | number | boolean): string {
  return typeof value === 'boolean' ? (value ? 'yes' : 'no') : String(value);
}

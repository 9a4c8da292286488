/**
 * The spec as written (SpecDocument, shaped by schema/pvpn-gen.schema.json) and the plain model the renderers
 * consume (SpecModel): defaults merged, units parsed, every optional setting resolved to an explicit value.
 */
import type { CalendarSpec } from './calendar.js';

export type Argv = readonly [string, ...string[]];
export type Duration = number | string;
export type Size = number | string;
export type Profile = 'none' | 'basic' | 'strict';
/** true: unicast anywhere (strict also blocks multicast and broadcast); 'all': that too; 'loopback'; false: none */
export type NetworkAccess = boolean | 'loopback' | 'all';
export type DirectiveValue = string | number | boolean;
export type RawDirectives = Readonly<Record<string, DirectiveValue | readonly DirectiveValue[]>>;

export interface HardeningFields {
  readonly profile?: Profile;
  readonly network?: NetworkAccess;
  readonly writablePaths?: readonly string[];
  readonly readOnlyPaths?: readonly string[];
  readonly capabilities?: readonly string[];
  readonly syscalls?: readonly string[];
  readonly devices?: readonly string[];
  readonly systemd?: Readonly<Partial<Record<'Unit' | 'Service' | 'Timer', RawDirectives>>>;
}

export type NotifyEvent = 'failure' | 'recovery' | 'changed' | 'success' | 'skipped';

export interface NotifyFields {
  readonly on?: readonly NotifyEvent[];
  readonly desktop?: boolean;
  readonly command?: Argv;
}

export interface ServiceFields {
  readonly description?: string;
  readonly command?: Argv;
  readonly precondition?: Argv;
  readonly onFailure?: Argv;
  readonly notify?: boolean | NotifyFields;
  readonly changedExitStatus?: number;
  readonly interval?: Duration;
  readonly calendar?: string;
  readonly randomizedDelay?: Duration;
  readonly onBoot?: Duration;
  readonly accuracy?: Duration;
  readonly persistent?: boolean;
  readonly user?: string;
  readonly group?: string;
  readonly supplementaryGroups?: readonly string[];
  readonly dynamicUser?: boolean;
  readonly workingDirectory?: string;
  readonly environment?: Readonly<Record<string, string | number | boolean>>;
  readonly environmentFile?: string;
  readonly credentials?: Readonly<Record<string, string>>;
  readonly limits?: {
    readonly memory?: Size;
    readonly cpu?: string;
    readonly nofile?: number;
    readonly nproc?: number;
    readonly runtime?: Duration;
  };
  readonly nice?: number;
  readonly hardening?: Profile | HardeningFields;
  readonly sandbox?: 'none' | 'bwrap';
  readonly logging?: { readonly dir?: string; readonly maxSize?: Size; readonly keep?: number; readonly user?: string };
  readonly restart?: 'always' | 'on-failure' | 'no';
  readonly restartDelay?: Duration;
  readonly after?: readonly string[];
  readonly wants?: readonly string[];
  readonly readiness?: 'notify' | { readonly notify: 'main' | 'all' };
  readonly forking?: { readonly pidFile: string };
  readonly oneshot?: true;
  readonly remainAfterExit?: boolean;
  readonly requires?: readonly string[];
  readonly before?: readonly string[];
  readonly environmentFiles?: ReadonlyArray<string | { readonly path: string; readonly optional?: boolean }>;
  readonly directories?: Readonly<Partial<Record<DirectoryKind, { readonly paths: readonly string[]; readonly mode?: string }>>>;
  readonly exitStatus?: { readonly success?: readonly (number | string)[]; readonly preventRestart?: readonly (number | string)[] };
  readonly restartLimit?: { readonly burst: number; readonly interval: Duration };
  readonly stopSignal?: string;
  readonly timeouts?: { readonly start?: Duration; readonly stop?: Duration };
  readonly reload?: readonly Argv[] | { readonly signal: string };
  readonly beforeStart?: ReadonlyArray<Argv | { readonly command: Argv; readonly ignoreFailure?: boolean }>;
  readonly stop?: ReadonlyArray<Argv | { readonly command: Argv; readonly ignoreFailure?: boolean }>;
  readonly afterStop?: ReadonlyArray<Argv | { readonly command: Argv; readonly ignoreFailure?: boolean }>;
  readonly documentation?: readonly string[];
  readonly killMode?: 'control-group' | 'mixed' | 'process';
  readonly wantedBy?: readonly string[];
  readonly conflicts?: readonly string[];
}

export type DirectoryKind = 'runtime' | 'state' | 'cache' | 'logs';

export interface SpecDocument {
  readonly $schema?: string;
  readonly version: 1;
  readonly project?: string;
  readonly defaults?: ServiceFields;
  readonly services: Readonly<Record<string, ServiceFields>>;
  readonly variants?: Readonly<Record<string, VariantDocument>>;
}

/** Some hosts' differences: fields merged over a service (as it merges over `defaults`), or false: not run there. */
export interface VariantDocument {
  readonly services: Readonly<Record<string, ServiceFields | false>>;
}

// ---------------------------------------------------------------------------------------------------------------
// The model

export type Schedule =
  | { readonly kind: 'daemon'; readonly restart: 'always' | 'on-failure' | 'no'; readonly restartDelayMs: number }
  | {
      readonly kind: 'interval';
      readonly intervalMs: number;
      readonly onBootMs: number | null;
      readonly randomizedDelayMs: number;
      readonly accuracyMs: number;
    }
  | {
      readonly kind: 'calendar';
      /** systemd's normalised form of the expression */
      readonly calendar: string;
      /** the same, parsed once here for the targets that translate it (runit: snooze); null only in a spec that fails */
      readonly calendarSpec: CalendarSpec | null;
      readonly persistent: boolean;
      readonly randomizedDelayMs: number;
      readonly accuracyMs: number;
    };

export type Identity =
  | { readonly kind: 'dynamic' }
  | { readonly kind: 'user'; readonly user: string; readonly group: string | null; readonly supplementaryGroups: readonly string[] };

export interface Limits {
  readonly memoryBytes: number | null;
  readonly cpuPercent: number | null;
  readonly nofile: number | null;
  readonly nproc: number | null;
  readonly runtimeMs: number | null;
}

export interface Hardening {
  readonly profile: Profile;
  readonly network: NetworkAccess;
  readonly writablePaths: readonly string[];
  readonly readOnlyPaths: readonly string[];
  readonly capabilities: readonly string[];
  readonly syscalls: readonly string[];
  readonly devices: readonly string[];
  readonly rawSystemd: Readonly<Record<'Unit' | 'Service' | 'Timer', ReadonlyArray<readonly [string, readonly string[]]>>>;
}

export interface Logging {
  readonly dir: string;
  readonly maxSizeBytes: number;
  readonly keep: number;
  /** null: the layout's log user */
  readonly user: string | null;
}

/** One command of beforeStart, stop or afterStop. */
export interface Step {
  readonly command: Argv;
  readonly ignoreFailure: boolean;
}

/**
 * A daemon's type and its start/stop/reload details. `exec` is what a service without these fields always was: up
 * once its program runs; a periodic job stays `exec` here (its targets run it as their own kind of oneshot).
 */
export interface Lifecycle {
  readonly type: 'exec' | 'notify' | 'forking' | 'oneshot';
  /** notify: who may send READY=1 (systemd NotifyAccess=) */
  readonly notifyAccess: 'main' | 'all' | null;
  readonly pidFile: string | null;
  readonly remainAfterExit: boolean;
  readonly reload: { readonly kind: 'commands'; readonly commands: readonly Argv[] } | { readonly kind: 'signal'; readonly signal: string } | null;
  readonly stopSignal: string | null;
  /** null: the init system's default; Infinity: no limit */
  readonly timeoutStartMs: number | null;
  readonly timeoutStopMs: number | null;
  /** exit statuses (as text) and signal names (SIGTERM) */
  readonly successStatus: readonly string[];
  readonly preventRestartStatus: readonly string[];
  readonly restartLimit: { readonly burst: number; readonly intervalMs: number } | null;
  /** commands before the main one, in order */
  readonly beforeStart: readonly Step[];
  /** commands that stop it, before the stop signal */
  readonly stop: readonly Step[];
  /** commands after it ended */
  readonly afterStop: readonly Step[];
  /** null: the init system's default (systemd control-group) */
  readonly killMode: 'control-group' | 'mixed' | 'process' | null;
}

/** Who hears of a periodic job's runs (templates/sh/_notify.hbs delivers). */
export interface Notify {
  /** in the schema's order */
  readonly events: readonly NotifyEvent[];
  readonly desktop: boolean;
  readonly command: Argv | null;
}

export interface ServiceModel {
  readonly name: string;
  readonly description: string;
  readonly command: Argv;
  readonly precondition: Argv | null;
  readonly onFailure: Argv | null;
  /** null: nobody is told */
  readonly notify: Notify | null;
  /** the exit status by which the job says it changed something (a success) */
  readonly changedExitStatus: number | null;
  readonly schedule: Schedule;
  readonly identity: Identity;
  readonly workingDirectory: string | null;
  /** sorted by name, values as strings */
  readonly environment: ReadonlyArray<readonly [string, string]>;
  readonly environmentFile: string | null;
  /** sorted by name */
  readonly credentials: ReadonlyArray<readonly [string, string]>;
  readonly limits: Limits;
  readonly nice: number | null;
  readonly hardening: Hardening;
  readonly sandbox: 'none' | 'bwrap';
  readonly logging: Logging;
  readonly after: readonly string[];
  readonly wants: readonly string[];
  readonly requires: readonly string[];
  readonly before: readonly string[];
  /** units this one stops when it starts (systemd Conflicts=) */
  readonly conflicts: readonly string[];
  /** how the daemon starts, reloads and stops (defaults: what every service did before these fields) */
  readonly lifecycle: Lifecycle;
  /** the targets that start an enabled daemon; null: the target's default (systemd multi-user.target) */
  readonly wantedBy: readonly string[] | null;
  /** URIs (systemd Documentation=) */
  readonly documentation: readonly string[];
  /** environmentFiles, in order (environmentFile stays apart) */
  readonly environmentFiles: ReadonlyArray<{ readonly path: string; readonly optional: boolean }>;
  /** the `directories` field, as absolute paths per kind (also in writablePaths' answer) */
  readonly directories: ReadonlyArray<{ readonly kind: DirectoryKind; readonly paths: readonly string[]; readonly mode: string | null }>;
  /**
   * Which spec keys the user set (after merging defaults), so renderers can warn about what a target cannot express;
   * hardening.profile only when it is not none (none is nothing to approximate).
   */
  readonly setKeys: ReadonlySet<string>;
}

export interface SpecModel {
  /** The spec's file name without directories: output must not depend on where the checkout lives. */
  readonly specName: string;
  readonly project: string;
  /** sorted by name */
  readonly services: readonly ServiceModel[];
  /** the services as each variant has them (sorted by name); absent when the spec has no variants */
  readonly variants?: Readonly<Record<string, readonly ServiceModel[]>>;
}

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
}

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
  /** Which spec keys the user set (after merging defaults), so renderers can warn about what a target cannot express. */
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

/**
 * The one interface every init system implements (src/targets/NAME/, listed in src/targets/index.ts): what it can
 * express, how a service becomes files, what to run around installing them, how to control, query and detect it.
 * Everything here is data in, data out: the effects (running sv or systemctl, reading /proc) are done by the caller
 * with what a target returns, or through the small port a status query is handed. See ARCHITECTURE.md.
 */
import type { Problem } from '../model/problem.js';
import type { ServiceModel, SpecModel } from '../model/types.js';
import type { TemplateSet } from '../render/engine.js';
import type { DesiredEntry, ServiceHandle } from '../render/types.js';
import type { ServiceStatus } from './status.js';

export type Support = 'exact' | 'approximate' | 'none' | 'n/a';
/** How a target expresses one spec setting, and in what words (the README's capability matrix). */
export type CapabilityRow = readonly [support: Support, how: string];

/** A program to run, as argv; `env`: variables it needs beside the caller's (SVDIR for sv). */
export interface Command {
  readonly argv: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
}

/** Commands to run around the file changes, as data; the system layer runs them on a live system. */
export type Action =
  /** a program (systemctl, sv, systemd-sysusers...) */
  | ({ readonly kind: 'exec' } & Command)
  /** wait until every path exists (runsv's supervise/ok): the service is supervised */
  | { readonly kind: 'wait-paths'; readonly service: string; readonly paths: readonly string[]; readonly describe: string; readonly failure: string }
  /** wait until no `program` process runs in `cwd` (runsv of a removed service) */
  | { readonly kind: 'wait-gone'; readonly service: string; readonly program: string; readonly cwd: string; readonly describe: string; readonly failure: string }
  | { readonly kind: 'ensure-user'; readonly name: string; readonly home: string }
  | { readonly kind: 'ensure-group'; readonly name: string }
  | { readonly kind: 'remove-user'; readonly name: string }
  | { readonly kind: 'remove-group'; readonly name: string };

/** What install or uninstall changes, per service, for a target to say what to run around it. */
export interface ServiceDelta {
  readonly added: readonly ServiceHandle[];
  readonly removed: readonly ServiceHandle[];
  /** services whose files changed, with the changed paths */
  readonly changed: ReadonlyArray<{ readonly handle: ServiceHandle; readonly paths: ReadonlySet<string> }>;
  /** every path created, updated or removed */
  readonly changedPaths: ReadonlySet<string>;
}

export type ControlVerb = 'start' | 'stop' | 'restart' | 'run-now';

/** What a target reads of the machine to answer `status` (the system layer's port, so targets import no I/O). */
export interface StatusPort {
  run(file: string, args: readonly string[]): Promise<{ exitCode: number; stdout: string }>;
  /** a file's text, or null when it cannot be read */
  read(path: string): string | null;
  exists(path: string): boolean;
}

/** What detection looks at: paths that exist and the argv of the processes running (live only). */
export interface InitFacts {
  readonly existing: ReadonlySet<string>;
  readonly processes: readonly (readonly string[])[];
  readonly live: boolean;
}

/** A target's verdict on the facts: found (with its layout), or why not. */
export type Detection = { readonly found: true; readonly layout: string | null; readonly reasons: readonly string[] } | { readonly found: false; readonly reasons: readonly string[] };

export interface Target {
  readonly name: string;
  /** its layouts (where files go on each distribution), the default first; [] when there is one way only */
  readonly layouts: readonly string[];
  /** spec key -> how this target expresses it; a key it does not list is `exact` */
  readonly capabilities: Readonly<Record<string, CapabilityRow>>;
  /** rows that replace `capabilities` for a service with `sandbox: bwrap` (runit can do more in bubblewrap) */
  readonly sandboxedCapabilities?: Readonly<Record<string, CapabilityRow>>;
  /** spec-wide problems only this target has (errors), for the services in `selected` */
  checkSpec(model: SpecModel, selected: ReadonlySet<string>): Problem[];
  /** per service: what to say about settings this target takes literally (warnings; errors with --strict) */
  notes(service: ServiceModel, strict: boolean, specName: string): Problem[];
  /** one service's files and links, and its handle; errors go to `problems` */
  render(service: ServiceModel, model: SpecModel, layout: string | null, templates: TemplateSet, problems: Problem[]): { entries: DesiredEntry[]; handle: ServiceHandle };
  /** whether a handle read back from a manifest is exactly what this target records for that service */
  handleOk(handle: ServiceHandle, layout: string | null): boolean;
  /** what to run before and after the file changes */
  actions(delta: ServiceDelta): { before: Action[]; after: Action[] };
  /** how missing accounts are created: the sysusers.d files systemd reads, or useradd per account */
  createAccounts(missing: { users: ReadonlyMap<string, string>; groups: readonly string[] }, desired: readonly DesiredEntry[]): Action[];
  /**
   * An enabled service whose files change is disabled while they are mixed (runit: runsv would start an old
   * log/run with a new run); the link to take away and put back, or null.
   */
  relinkWhileChanging(handle: ServiceHandle): { link: string; target: string } | null;
  /** what the supervisor and the scripts leave that goes with a removed service (runsv's supervise/, copies) */
  leftovers(handle: ServiceHandle): readonly string[];
  control(handle: ServiceHandle, verb: ControlVerb): Command | null;
  logs(handle: ServiceHandle, options: { follow: boolean; lines: number }): Command;
  status(handle: ServiceHandle, port: StatusPort): Promise<ServiceStatus>;
  /** the paths whose existence detection reads (under the root) */
  readonly detectPaths: readonly string[];
  detect(facts: InitFacts): Detection;
  /**
   * The names PID 1 has (its /proc/1/comm, as Ansible's `ansible_service_mgr` reports it) on a machine this
   * target runs: the Ansible export picks a host's files by them. None: the inventory must name the target.
   */
  readonly pid1Names?: readonly string[];
}

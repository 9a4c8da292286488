/** What a renderer produces: the files and links a target needs, as data. Nothing is written here. */
import type { Problem } from '../model/problem.js';
import type { TargetName } from '../targets/names.js';

export type { TargetName };

export interface DesiredFile {
  readonly kind: 'file';
  /** absolute install path, as on the live system (a --root prefix is added by the caller) */
  readonly path: string;
  readonly mode: number;
  readonly content: string;
  /** the service it belongs to */
  readonly service: string;
}

export interface DesiredLink {
  readonly kind: 'symlink';
  readonly path: string;
  /** as the link will read on the live system, as `systemctl enable` and `ln -s` write them */
  readonly target: string;
  readonly service: string;
}

export type DesiredEntry = DesiredFile | DesiredLink;

/** System accounts a service needs; created at install when missing, removed on uninstall if pvpn-gen made them. */
export interface Accounts {
  /** users, each with its own group of the same name; `derived`: a name pvpn-gen made up for the service, never an existing account's */
  readonly users: readonly { readonly name: string; readonly home: string; readonly derived?: boolean }[];
  /** extra groups (a separate primary group, supplementary groups) */
  readonly groups: readonly string[];
}

/**
 * Per service: what the system and control layers need to start, stop and query it, recorded in the manifest. The
 * common part is typed here; the rest are the target's own facts (its directories, its units), which only that
 * target reads (each target types its own handle and checks a recorded one with Target.handleOk).
 */
export interface ServiceHandle {
  readonly target: TargetName;
  readonly name: string;
  readonly periodic: boolean;
  readonly accounts: Accounts;
  readonly [fact: string]: unknown;
}

export interface Rendered {
  readonly target: TargetName;
  readonly layout: string | null;
  /** sorted by path */
  readonly entries: readonly DesiredEntry[];
  readonly services: readonly ServiceHandle[];
  readonly warnings: readonly Problem[];
}

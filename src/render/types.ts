/** What a renderer produces: the files and links a target needs, as data. Nothing is written here. */
import type { Problem } from '../model/problem.js';

export type TargetName = 'systemd' | 'runit';
export type RunitLayoutName = 'artix' | 'void' | 'debian';

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
  /** users, each with its own group of the same name */
  /** `derived`: a name pvpn-gen made up for the service (runit without `user:`), never an existing account's */
  readonly users: readonly { readonly name: string; readonly home: string; readonly derived?: boolean }[];
  /** extra groups (a separate primary group, supplementary groups) */
  readonly groups: readonly string[];
}

/** Per service: what the control layer needs to start, stop and query it. */
export type ServiceHandle =
  (

  | {
      readonly target: 'systemd';
      readonly name: string;
      readonly periodic: boolean;
      /** the unit enabled and started: NAME.timer for periodic jobs, NAME.service for daemons */
      readonly mainUnit: string;
      readonly serviceUnit: string;
      /** every unit file of this service */
      readonly units: readonly string[];
    }
  | {
      readonly target: 'runit';
      readonly name: string;
      readonly periodic: boolean;
      readonly serviceDir: string;
      readonly enableLink: string;
      readonly scanDir: string;
      readonly logDir: string;
    }
  ) & { readonly accounts: Accounts };

export interface Rendered {
  readonly target: TargetName;
  readonly layout: RunitLayoutName | null;
  /** sorted by path */
  readonly entries: readonly DesiredEntry[];
  readonly services: readonly ServiceHandle[];
  readonly warnings: readonly Problem[];
}

/**
 * The plan: what is on disk and in the manifest, compared with what the spec renders, as typed changes.
 * All paths are install paths (as on the live system); a --root prefix exists only in the I/O layer.
 */
import type { DesiredEntry, ServiceHandle, TargetName } from '../render/types.js';
import type { Action } from '../targets/target.js';

export type { Action };

/** What stands at a path now, read with lstat (links are never followed). */
export type InstalledState =
  | { readonly kind: 'missing' }
  | { readonly kind: 'file'; readonly mode: number; readonly content: string; readonly sha256: string }
  | { readonly kind: 'symlink'; readonly target: string }
  | { readonly kind: 'directory' }
  | { readonly kind: 'other' };

export interface ManifestFile {
  readonly path: string;
  readonly kind: 'file';
  readonly mode: number;
  readonly sha256: string;
  readonly service: string;
}

export interface ManifestLink {
  readonly path: string;
  readonly kind: 'symlink';
  readonly target: string;
  readonly service: string;
}

export type ManifestEntry = ManifestFile | ManifestLink;

/** What one install recorded: the only files pvpn-gen will ever update or remove. */
export interface Manifest {
  readonly format: 1;
  readonly tool: string;
  readonly project: string;
  readonly spec: { readonly path: string; readonly sha256: string };
  readonly target: TargetName;
  readonly layout: string | null;
  readonly services: readonly ServiceHandle[];
  /** sorted by path */
  readonly entries: readonly ManifestEntry[];
  /** files taken over with --force, kept at `backup` and put back on uninstall */
  readonly backups: ReadonlyArray<{ readonly path: string; readonly backup: string }>;
  /** system accounts pvpn-gen created (and so may remove once no service needs them) */
  readonly accounts: { readonly users: readonly string[]; readonly groups: readonly string[] };
}

export type ConflictReason =
  /** something pvpn-gen did not write stands at the path */
  | 'foreign'
  /** pvpn-gen wrote it, but it was changed since (its hash differs from the manifest's) */
  | 'modified'
  /** a directory or special file stands where a file or link should go */
  | 'wrong-type'
  /** another project's manifest owns the path */
  | 'owned-elsewhere';

export type Change =
  | { readonly kind: 'create'; readonly path: string; readonly entry: DesiredEntry }
  | {
      readonly kind: 'update';
      readonly path: string;
      readonly entry: DesiredEntry;
      readonly before: InstalledState;
      readonly contentChanged: boolean;
      readonly modeChanged: boolean;
      /** --force took over a foreign or changed file: the old one is kept at a backup path */
      readonly backup: boolean;
    }
  | { readonly kind: 'unchanged'; readonly path: string; readonly entry: DesiredEntry }
  | {
      readonly kind: 'remove';
      readonly path: string;
      readonly before: InstalledState;
      readonly recorded: ManifestEntry;
      /** --force removes a changed file: it is kept at a backup path instead */
      readonly backup: boolean;
    }
  | {
      readonly kind: 'conflict';
      readonly path: string;
      readonly reason: ConflictReason;
      readonly before: InstalledState;
      /** what would be written (absent when the conflict is about a removal) */
      readonly entry?: DesiredEntry;
      readonly detail: string;
    };

export interface Plan {
  readonly changes: readonly Change[];
  /** run before any file changes (stop what is about to be removed) */
  readonly before: readonly Action[];
  /** run after the files are in place (reload, start, restart) */
  readonly after: readonly Action[];
  /** the manifest to record when the plan is applied */
  readonly manifest: Manifest;
  /**
   * every directory pvpn-gen created, for all projects together (directories are shared: /etc/sv holds services of
   * several projects), as it will be recorded after the plan is applied
   */
  readonly directories: readonly string[];
}

export function hasChanges(plan: Plan): boolean {
  return plan.changes.some((c) => c.kind !== 'unchanged');
}

export function conflicts(plan: Plan): Array<Extract<Change, { kind: 'conflict' }>> {
  return plan.changes.filter((c): c is Extract<Change, { kind: 'conflict' }> => c.kind === 'conflict');
}

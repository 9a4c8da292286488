/**
 * The steps install, uninstall and diff share: where (live system or a staging --root), which target, the plan
 * against what is installed, and applying it under the lock. The CLI commands are thin wrappers around these.
 */
import { resolve } from 'node:path';
import { OperationError, UsageError } from '../errors.js';
import { decide, readFacts } from './detect.js';
import { TARGET_NAMES } from '../targets/names.js';
import { buildPlan, buildRemovalPlan, type PlanWithDirectories } from '../plan/build.js';
import { lazySha256 } from '../plan/hash.js';
import { readAccounts, readDirectoryRegistry, readManifests, readStates } from './read-installed.js';
import { lockPathOf } from '../plan/state-paths.js';
import type { Manifest } from '../plan/types.js';
import type { Rendered, TargetName } from '../render/types.js';
import type { LoadedSpec } from '../model/load.js';
import { VERSION } from '../version.js';
import { acquireLock, type HeldLock } from './lock.js';
import { describeRecovery, pendingJournal, recover } from './recover.js';
import { ensureStateDir, recordStateDirectories, removeStateIfUnused } from './state.js';
import { runTransaction } from './transaction.js';
import { checkStagingRoot, checkWays } from './trusted-paths.js';
import { dryRunSystem } from './dry-run.js';
import { realSystem, type System } from './port.js';
import { STATE_DIR } from '../paths.js';

/**
 * Where changes go: the live system (root '') or a staging directory, as DESTDIR is for packages; and the System
 * every read, write and program goes through (the real one, or the dry-run decorator).
 */
export interface Site {
  readonly root: string;
  readonly live: boolean;
  readonly system: System;
}

export function resolveSite(rootOption: string | undefined, cwd: string, system: System = realSystem): Site {
  if (rootOption === undefined) return { root: '', live: true, system };
  const root = resolve(cwd, rootOption);
  checkStagingRoot(system, root, rootOption);
  return { root: root === '/' ? '' : root, live: root === '/', system };
}

/** The same site, with its effects only recorded (install --dry-run): see dry-run.ts. */
export function dryRunSite(site: Site, record: (line: string) => void): Site {
  return { ...site, system: dryRunSystem(site.system, record) };
}

/** --target T, or what the manifest recorded, or (auto) what runs here. */
export function resolveTarget(
  site: Site,
  option: { target?: string | undefined; layout?: string | undefined },
  manifest: Manifest | null,
): { target: TargetName; layout: string | undefined } {
  const wanted = option.target === 'auto' ? undefined : (option.target as TargetName | undefined);
  if (wanted) return { target: wanted, layout: option.layout };
  if (manifest) return { target: manifest.target, layout: option.layout ?? manifest.layout ?? undefined };
  const detection = decide(readFacts(site.system, site.root, site.live));
  if (!detection.ok) {
    throw new UsageError(`cannot tell the init system${site.live ? '' : ` under ${site.root}`}: ${detection.reasons.join('; ')}; pass --target ${TARGET_NAMES.join(' or --target ')}`);
  }
  return { target: detection.target, layout: option.layout ?? detection.layout ?? undefined };
}

export interface InstallPlanContext {
  readonly plan: PlanWithDirectories;
  readonly previous: Manifest | null;
}

export function manifestsAt(site: Site): Map<string, Manifest> {
  return readManifests(site.system, site.root);
}

/** Account names the services of the other installed projects need: never removed with this one. */
function accountsElsewhere(manifests: ReadonlyMap<string, Manifest>, project: string): Set<string> {
  const names = new Set<string>();
  for (const [name, manifest] of manifests) {
    if (name === project) continue;
    for (const s of manifest.services) for (const a of [...(s.accounts?.users.map((u) => u.name) ?? []), ...(s.accounts?.groups ?? [])]) names.add(a);
  }
  return names;
}

function ownedElsewhere(manifests: ReadonlyMap<string, Manifest>, project: string): Map<string, string> {
  const owned = new Map<string, string>();
  for (const [name, manifest] of manifests) if (name !== project) for (const e of manifest.entries) owned.set(e.path, name);
  return owned;
}

export function planInstall(
  site: Site,
  spec: LoadedSpec,
  rendered: Rendered,
  options: { scope: ReadonlySet<string> | null; force: boolean },
  /** the manifests, when the caller has just read them; install plans under the lock and reads them there */
  manifests: ReadonlyMap<string, Manifest> = manifestsAt(site),
): InstallPlanContext {
  const project = spec.model.project;
  const previous = manifests.get(project) ?? null;
  if (previous && previous.target !== rendered.target) {
    throw new OperationError(
      `project "${project}" is installed for ${previous.target}; uninstall it first to switch to ${rendered.target}`,
    );
  }
  const paths = [...rendered.entries.map((e) => e.path), ...(previous?.entries ?? []).map((e) => e.path)];
  checkWays(site.system, site.root, paths);
  const specDigest = lazySha256(spec.text);
  const plan = buildPlan({
    rendered,
    installed: readStates(site.system, site.root, paths),
    manifest: previous,
    ownedElsewhere: ownedElsewhere(manifests, project),
    registry: readDirectoryRegistry(site.system, site.root),
    scope: options.scope,
    force: options.force,
    project,
    spec: {
      path: spec.path,
      get sha256() {
        return specDigest();
      },
    },
    tool: `pvpn-gen ${VERSION}`,
    // accounts are only created on the live system: a staging root has no users to add to
    existingAccounts: site.live ? readAccounts(site.system, site.root) : null,
    accountsElsewhere: accountsElsewhere(manifests, project),
    createdAnywhere: new Set([...manifests.values()].flatMap((m) => m.accounts.users)),
  });
  return { plan, previous };
}

export function planUninstall(
  site: Site,
  manifest: Manifest,
  options: { scope: ReadonlySet<string> | null; force: boolean },
  /** every project's manifest, as the caller read them under the lock */
  manifests: ReadonlyMap<string, Manifest>,
): InstallPlanContext {
  checkWays(site.system, site.root, manifest.entries.map((e) => e.path));
  const plan = buildRemovalPlan({
    manifest,
    accountsElsewhere: accountsElsewhere(manifests, manifest.project),
    installed: readStates(site.system, site.root, manifest.entries.map((e) => e.path)),
    ownedElsewhere: ownedElsewhere(manifests, manifest.project),
    registry: readDirectoryRegistry(site.system, site.root),
    scope: options.scope,
    force: options.force,
  });
  return { plan, previous: manifest };
}

/**
 * Takes the lock (creating the state directory), finishing whatever a killed run left. A dry run takes no lock (it
 * writes nothing another run could trip over) and finishes the interrupted run only in its own memory.
 */
export async function lockSite(
  site: Site,
  options: { waitSeconds: number; onWait?: (holder: string) => void; onRecovered?: (message: string) => void },
): Promise<HeldLock> {
  const port = site.system;
  // the state directory is written as root like everything else: nobody else may be able to redirect it
  checkWays(port, site.root, [`${STATE_DIR}/manifests/x`]);
  const created = ensureStateDir(site.root, port);
  const lock = port.dryRun ? noLock(port, lockPathOf(site.root)) : await acquireLock(lockPathOf(site.root), options);
  try {
    recordStateDirectories(site.root, port, created);
    const recovery = recover(site.root, port);
    if (recovery) options.onRecovered?.(describeRecovery(recovery));
  } catch (error) {
    lock.release();
    throw error;
  }
  return lock;
}

/** A dry run's stand-in: the lock file it would remove with the state directory goes in its memory. */
function noLock(port: System, path: string): HeldLock {
  return {
    path,
    release: (options = {}) => {
      if (options.remove && port.info(path) !== null) port.unlink(path);
    },
  };
}

export { pendingJournal };

export function applyPlan(
  site: Site,
  context: InstallPlanContext,
  summary: string,
  onPhase?: (phase: 'prepare' | 'commit' | 'finish') => void,
): Promise<{ warnings: string[] }> {
  const txid = `${site.system.now().toString(36)}-${process.pid.toString(36)}`;
  return runTransaction({ root: site.root, plan: context.plan, previous: context.previous, port: site.system, txid, summary, ...(onPhase ? { onPhase } : {}) });
}

/** After the last project's uninstall: the state directory goes too (with the lock file, released). */
export function cleanupState(site: Site, lock: HeldLock): void {
  removeStateIfUnused(site.root, site.system, lock);
}

/**
 * The capability matrix: for every spec setting, how each target expresses it (each target's own table, see
 * src/targets/NAME/capabilities.ts). `approximate` and `none` become warnings naming the setting and the target
 * when a spec sets them (errors with --strict); `n/a` marks settings that belong to another target by design
 * (e.g. svlogd rotation on systemd, which logs to the journal). The README's table is rendered from this one
 * (scripts/readme-tables.mjs), so they cannot disagree.
 */
import { ALL_TARGETS } from '../targets/index.js';
import type { CapabilityRow, Support, Target } from '../targets/target.js';

export type { CapabilityRow, Support };

/** Daemon types, dependencies, files and directories, restart, stop and reload details, install targets (issue 12). */
const LIFECYCLE_KEYS = ['readiness', 'forking', 'oneshot', 'remainAfterExit', 'requires', 'before', 'environmentFiles', 'directories', 'exitStatus', 'restartLimit', 'stopSignal', 'timeouts', 'reload', 'beforeStart', 'documentation', 'killMode', 'stop', 'afterStop', 'wantedBy', 'conflicts'];

/** The spec settings, in the matrix's order: every target says how it does each. */
export const CAPABILITY_KEYS: readonly string[] = ['description', 'command', 'precondition', 'onFailure', 'notify', 'changedExitStatus', 'interval', 'calendar', 'randomizedDelay', 'onBoot', 'accuracy', 'persistent', 'user', 'group', 'supplementaryGroups', 'dynamicUser', 'workingDirectory', 'environment', 'environmentFile', 'credentials', 'limits.memory', 'limits.cpu', 'limits.nofile', 'limits.nproc', 'limits.runtime', 'nice', 'hardening.profile', 'hardening.network', 'hardening.writablePaths', 'hardening.readOnlyPaths', 'hardening.capabilities', 'hardening.syscalls', 'hardening.devices', 'hardening.systemd', 'sandbox', 'logging', 'restart', 'restartDelay', 'after', 'wants', ...LIFECYCLE_KEYS];

/** How `target` does `key` for this service (sandboxed rows where they apply). */
export function capabilityOf(target: Target, key: string, service?: { readonly sandbox: string }): CapabilityRow {
  const sandboxed = service?.sandbox === 'bwrap' ? target.sandboxedCapabilities?.[key] : undefined;
  return sandboxed ?? target.capabilities[key] ?? ['exact', ''];
}

/** The settings a service sets that `target` cannot express exactly (each becomes a warning). */
export function capabilityGaps(
  service: { readonly setKeys: ReadonlySet<string>; readonly sandbox: string },
  target: Target,
): Array<{ key: string; support: Support; how: string }> {
  const gaps: Array<{ key: string; support: Support; how: string }> = [];
  for (const key of CAPABILITY_KEYS) {
    const [support, how] = capabilityOf(target, key, service);
    if (support !== 'approximate' && support !== 'none') continue;
    if (service.setKeys.has(key)) gaps.push({ key, support, how });
  }
  return gaps;
}

const SUPPORT_MARK: Readonly<Record<Support, string>> = { exact: 'exact', approximate: 'approximate (warning)', none: 'none (warning)', 'n/a': 'n/a' };

function cell(target: Target, key: string): string {
  const [support, how] = capabilityOf(target, key);
  const sandboxed = target.sandboxedCapabilities?.[key];
  const text = `${SUPPORT_MARK[support]}: ${how}`;
  return sandboxed ? `${text}; with sandbox: bwrap ${SUPPORT_MARK[sandboxed[0]]}: ${sandboxed[1]}` : text;
}

/** The README's capability table, one column per target (scripts/readme-tables.mjs writes it, a test checks it). */
export function capabilityTableMarkdown(targets: readonly Target[] = ALL_TARGETS): string {
  const rows = CAPABILITY_KEYS.map((key) => `| \`${key}\` | ${targets.map((t) => cell(t, key)).join(' | ')} |`);
  return [`| setting | ${targets.map((t) => t.name).join(' | ')} |`, `| --- | ${targets.map(() => '---').join(' | ')} |`, ...rows].join('\n');
}

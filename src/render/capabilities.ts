/**
 * The capability matrix: for every spec setting, how each target expresses it. `approximate` and `none` become
 * warnings naming the setting and the target when a spec sets them (errors with --strict); `n/a` marks settings
 * that belong to the other target by design (e.g. svlogd rotation on systemd, which logs to the journal).
 * The README's table is rendered from this one (scripts/readme-tables.mjs), so they cannot disagree.
 */
import type { TargetName } from './types.js';

export type Support = 'exact' | 'approximate' | 'none' | 'n/a';

export interface Capability {
  readonly key: string;
  readonly systemd: readonly [Support, string];
  readonly runit: readonly [Support, string];
  /** runit with `sandbox: bwrap`, where bubblewrap's namespaces can do more */
  readonly runitSandboxed?: readonly [Support, string];
}

export const CAPABILITIES: readonly Capability[] = [
  { key: 'description', systemd: ['exact', 'Description='], runit: ['exact', 'a comment in run'] },
  { key: 'command', systemd: ['exact', 'ExecStart='], runit: ['exact', 'run, through chpst'] },
  { key: 'precondition', systemd: ['exact', 'ExecCondition='], runit: ['exact', 'a guard in the loop, same exit-code rules'] },
  { key: 'onFailure', systemd: ['exact', 'OnFailure= to NAME-failure.service'], runit: ['exact', 'run by the loop (or finish), with the MONITOR_* variables'] },
  { key: 'interval', systemd: ['exact', 'OnUnitActiveSec='], runit: ['exact', 'the loop in run'] },
  { key: 'calendar', systemd: ['exact', 'OnCalendar='], runit: ['exact', 'snooze(1), where it can express the expression'] },
  { key: 'randomizedDelay', systemd: ['exact', 'RandomizedDelaySec='], runit: ['exact', 'a random sleep from /dev/urandom'] },
  { key: 'onBoot', systemd: ['exact', 'OnBootSec='], runit: ['exact', 'first sleep after the service starts'] },
  { key: 'accuracy', systemd: ['exact', 'AccuracySec='], runit: ['n/a', 'the loop wakes exactly'] },
  { key: 'persistent', systemd: ['exact', 'Persistent='], runit: ['none', 'runs missed while the machine was off are not caught up'] },
  { key: 'user', systemd: ['exact', 'User='], runit: ['exact', 'chpst -u'] },
  { key: 'group', systemd: ['exact', 'Group='], runit: ['exact', 'chpst -u user:group'] },
  { key: 'supplementaryGroups', systemd: ['exact', 'SupplementaryGroups='], runit: ['exact', 'chpst -u user:group:extra'] },
  { key: 'dynamicUser', systemd: ['exact', 'DynamicUser=yes'], runit: ['approximate', 'a static system user named after the service'] },
  { key: 'workingDirectory', systemd: ['exact', 'WorkingDirectory='], runit: ['exact', 'cd in run'] },
  { key: 'environment', systemd: ['exact', 'Environment='], runit: ['exact', 'export in run, from an empty environment'] },
  { key: 'environmentFile', systemd: ['exact', 'EnvironmentFile='], runit: ['approximate', 'read by run as root, root\'s own file only, handed over through chpst -e: no escapes or continuation lines, trailing blanks dropped'] },
  { key: 'credentials', systemd: ['exact', 'LoadCredential='], runit: ['approximate', 'copies in /run/pvpn-gen/credentials/NAME, 0400 for the service user, in $CREDENTIALS_DIRECTORY, removed when it stops'] },
  { key: 'limits.memory', systemd: ['exact', 'MemoryMax= (the whole service)'], runit: ['approximate', 'chpst -m: per-process data, stack and address space'] },
  { key: 'limits.cpu', systemd: ['exact', 'CPUQuota='], runit: ['approximate', 'chpst -n: a lower priority in proportion, not a cap'] },
  { key: 'limits.nofile', systemd: ['exact', 'LimitNOFILE='], runit: ['exact', 'chpst -o'] },
  { key: 'limits.nproc', systemd: ['exact', 'LimitNPROC='], runit: ['exact', 'chpst -p'] },
  { key: 'limits.runtime', systemd: ['exact', 'TimeoutStartSec= (jobs) / RuntimeMaxSec= (daemons)'], runit: ['exact', 'timeout(1)'] },
  { key: 'nice', systemd: ['exact', 'Nice='], runit: ['exact', 'chpst -n'] },
  { key: 'hardening.profile', systemd: ['exact', 'the directive table'], runit: ['approximate', 'user, umask 077 and rlimits; more with sandbox: bwrap'] },
  {
    key: 'hardening.network',
    systemd: ['exact', 'RestrictAddressFamilies=, IPAddressDeny=/IPAddressAllow=, PrivateNetwork='],
    runit: ['none', 'only with sandbox: bwrap (--unshare-net)'],
    runitSandboxed: ['exact', 'bwrap --unshare-net: a private loopback only (for loopback and false); true and all share the host network, multicast included'],
  },
  {
    key: 'hardening.writablePaths',
    systemd: ['exact', 'ReadWritePaths= / StateDirectory='],
    runit: ['n/a', 'everything the user may write stays writable'],
    runitSandboxed: ['exact', 'bwrap --bind on a read-only /'],
  },
  {
    key: 'hardening.readOnlyPaths',
    systemd: ['exact', 'ReadOnlyPaths='],
    runit: ['none', 'no per-path protection without a mount namespace'],
    runitSandboxed: ['exact', 'bwrap: all of / is read-only except writablePaths'],
  },
  { key: 'hardening.capabilities', systemd: ['exact', 'CapabilityBoundingSet=, AmbientCapabilities='], runit: ['none', 'chpst cannot hand capabilities to a user'] },
  { key: 'hardening.syscalls', systemd: ['exact', 'SystemCallFilter='], runit: ['none', 'no seccomp filter'] },
  { key: 'hardening.devices', systemd: ['exact', 'DeviceAllow='], runit: ['n/a', 'device files keep their own permissions'] },
  { key: 'hardening.systemd', systemd: ['exact', 'raw directives'], runit: ['n/a', 'systemd-only by name'] },
  { key: 'sandbox', systemd: ['n/a', "systemd's own sandbox (hardening) is always used"], runit: ['exact', 'bubblewrap'] },
  { key: 'logging', systemd: ['n/a', 'the journal; retention is journald.conf'], runit: ['exact', 'svlogd as _runit-log (never root) with a config file'] },
  { key: 'restart', systemd: ['exact', 'Restart='], runit: ['exact', 'finish: sv down when no restart is wanted'] },
  { key: 'restartDelay', systemd: ['exact', 'RestartSec='], runit: ['exact', 'sleep in finish'] },
  { key: 'after', systemd: ['exact', 'After='], runit: ['none', 'runsvdir starts all services at once'] },
  { key: 'wants', systemd: ['exact', 'Wants='], runit: ['none', 'no dependencies between runit services'] },
];

/** The settings a service sets that `target` cannot express exactly (each becomes a warning). */
export function capabilityGaps(
  service: { readonly setKeys: ReadonlySet<string>; readonly sandbox: string },
  target: TargetName,
): Array<{ key: string; support: Support; how: string }> {
  const gaps: Array<{ key: string; support: Support; how: string }> = [];
  for (const capability of CAPABILITIES) {
    const sandboxed = target === 'runit' && service.sandbox === 'bwrap' ? capability.runitSandboxed : undefined;
    const [support, how] = sandboxed ?? capability[target];
    if (support !== 'approximate' && support !== 'none') continue;
    if (service.setKeys.has(capability.key)) gaps.push({ key: capability.key, support, how });
  }
  return gaps;
}

const SUPPORT_MARK: Readonly<Record<Support, string>> = { exact: 'exact', approximate: 'approximate (warning)', none: 'none (warning)', 'n/a': 'n/a' };

/** The README's capability table, from the table above (scripts/readme-tables.mjs writes it, a test checks it). */
export function capabilityTableMarkdown(): string {
  const rows = CAPABILITIES.map((c) => {
    const runit = c.runitSandboxed ? `${SUPPORT_MARK[c.runit[0]]}: ${c.runit[1]}; with sandbox: bwrap ${SUPPORT_MARK[c.runitSandboxed[0]]}: ${c.runitSandboxed[1]}` : `${SUPPORT_MARK[c.runit[0]]}: ${c.runit[1]}`;
    return `| \`${c.key}\` | ${SUPPORT_MARK[c.systemd[0]]}: ${c.systemd[1]} | ${runit} |`;
  });
  return ['| setting | systemd | runit |', '| --- | --- | --- |', ...rows].join('\n');
}

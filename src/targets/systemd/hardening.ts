/**
 * systemd sandboxing, as a table: each directive says which profiles set it, what it protects, and which spec knob
 * turns it off or changes it. The service template prints the resulting lines in table order.
 * systemd.exec(5), systemd.resource-control(5); scores from `systemd-analyze security --offline=yes`.
 */
import type { Hardening, Profile, ServiceModel } from '../../model/types.js';
import { systemdListItem } from '../../render/escape.js';
import { MANAGED_BASES, managedBase, writablePaths } from '../../render/service-paths.js';

export interface HardeningDirective {
  readonly directive: string;
  /** which profiles set it */
  readonly profiles: readonly Profile[];
  readonly protects: string;
  /** the spec knob that turns it off or changes it, for the README table */
  readonly knob: string;
  /** the value(s) for this service; an empty list leaves the directive out */
  readonly values: (service: ServiceModel, profile: Profile) => readonly string[];
}

const BASIC_AND_STRICT: readonly Profile[] = ['basic', 'strict'];
const STRICT: readonly Profile[] = ['strict'];
/** Knob-driven directives apply whatever the profile: the user asked for them by name. */
const ALL: readonly Profile[] = ['none', 'basic', 'strict'];

const yes = () => ['yes'];

const underHome = (path: string) => path === '/home' || path.startsWith('/home/') || path === '/root' || path.startsWith('/root/');

export function managedDirectories(service: ServiceModel, directive: string): string[] {
  return writablePaths(service)
    .map(managedBase)
    .filter((m): m is readonly [string, string] => m !== undefined && m[0] === directive)
    .map(([, relative]) => relative);
}

/**
 * Unicast address space: IPv4 without 224.0.0.0/3 (multicast, reserved, 255.255.255.255) and IPv6 without ff00::/8
 * (multicast). A job that fetches things never needs multicast or broadcast; blocking them keeps a compromised job
 * from LAN-wide discovery (mDNS, SSDP, LLMNR). Link-local and private ranges stay reachable: DNS servers live there.
 */
export const UNICAST_RANGES: readonly string[] = [
  '0.0.0.0/1 128.0.0.0/2 192.0.0.0/3',
  '::/1 8000::/2 c000::/3 e000::/4 f000::/5 f800::/6 fc00::/7 fe00::/8',
];

/** The IPAddressAllow= list, or undefined when no IP filter applies (IPAddressDeny= goes with any list). */
function ipAllowList(h: Hardening, profile: Profile): readonly string[] | undefined {
  if (h.network === false) return [];
  if (h.network === 'loopback') return ['localhost'];
  if (h.network === true && profile === 'strict') return UNICAST_RANGES;
  return undefined;
}

function addressFamilies(h: Hardening): string[] {
  return h.network === false ? ['AF_UNIX'] : ['AF_UNIX AF_INET AF_INET6'];
}

export const HARDENING_TABLE: readonly HardeningDirective[] = [
  { directive: 'NoNewPrivileges', profiles: BASIC_AND_STRICT, protects: 'setuid/setgid programs and file capabilities cannot raise privileges', knob: 'profile: none', values: yes },
  {
    directive: 'ProtectSystem',
    profiles: BASIC_AND_STRICT,
    protects: 'the OS tree is read-only (strict: all of /, except the paths below)',
    knob: 'writablePaths (made writable again)',
    values: (_s, p) => [p === 'strict' ? 'strict' : 'full'],
  },
  {
    directive: 'ProtectHome',
    profiles: BASIC_AND_STRICT,
    protects: '/home, /root and /run/user are hidden (read-only in basic, or when a path under them is used)',
    knob: 'writablePaths/readOnlyPaths under /home or /root',
    values: (s, p) => {
      const needsHome = [...s.hardening.writablePaths, ...s.hardening.readOnlyPaths].some(underHome) ||
        (s.workingDirectory !== null && underHome(s.workingDirectory));
      return [p === 'strict' && !needsHome ? 'yes' : 'read-only'];
    },
  },
  { directive: 'PrivateTmp', profiles: BASIC_AND_STRICT, protects: 'a private /tmp and /var/tmp', knob: 'profile: none', values: yes },
  {
    directive: 'PrivateDevices',
    profiles: BASIC_AND_STRICT,
    protects: 'only pseudo devices (null, zero, random...) in /dev',
    knob: 'devices (then DevicePolicy=closed with DeviceAllow= instead)',
    values: (s) => [s.hardening.devices.length > 0 ? 'no' : 'yes'],
  },
  {
    directive: 'DevicePolicy',
    profiles: ALL,
    protects: 'device access limited to the listed devices',
    knob: 'devices',
    values: (s) => (s.hardening.devices.length > 0 ? ['closed'] : []),
  },
  { directive: 'DeviceAllow', profiles: ALL, protects: 'the listed devices, read-write', knob: 'devices', values: (s) => s.hardening.devices.map((d) => `${systemdListItem(d)} rw`) },
  { directive: 'PrivateNetwork', profiles: ALL, protects: 'no network interfaces but a private loopback', knob: 'network: false', values: (s) => (s.hardening.network === false ? ['yes'] : []) },
  { directive: 'ProtectKernelTunables', profiles: BASIC_AND_STRICT, protects: '/proc/sys, /sys are read-only', knob: 'profile: none', values: yes },
  { directive: 'ProtectKernelModules', profiles: BASIC_AND_STRICT, protects: 'no kernel module loading', knob: 'profile: none', values: yes },
  { directive: 'ProtectKernelLogs', profiles: BASIC_AND_STRICT, protects: 'no access to the kernel log ring buffer', knob: 'profile: none', values: yes },
  { directive: 'ProtectControlGroups', profiles: BASIC_AND_STRICT, protects: 'cgroup tree read-only', knob: 'profile: none', values: yes },
  { directive: 'ProtectClock', profiles: BASIC_AND_STRICT, protects: 'the system clock cannot be set', knob: 'profile: none', values: yes },
  { directive: 'ProtectHostname', profiles: BASIC_AND_STRICT, protects: 'the host name cannot be changed', knob: 'profile: none', values: yes },
  { directive: 'ProtectProc', profiles: STRICT, protects: "other users' processes are invisible in /proc", knob: 'profile: basic', values: () => ['invisible'] },
  { directive: 'ProcSubset', profiles: STRICT, protects: 'only process entries in /proc, no kernel state', knob: 'profile: basic', values: () => ['pid'] },
  {
    directive: 'PrivateUsers',
    profiles: STRICT,
    protects: 'a user namespace: other users are invisible, and root inside has no power outside',
    knob: 'capabilities (a capability in a user namespace would not reach the host, so it is left out then)',
    values: (s) => [s.hardening.capabilities.length > 0 ? 'no' : 'yes'],
  },
  { directive: 'PrivateMounts', profiles: STRICT, protects: 'mount changes stay private to the service', knob: 'profile: basic', values: yes },
  { directive: 'RestrictNamespaces', profiles: BASIC_AND_STRICT, protects: 'no new namespaces (container escapes start there)', knob: 'profile: none', values: yes },
  { directive: 'RestrictRealtime', profiles: BASIC_AND_STRICT, protects: 'no realtime scheduling that could starve the machine', knob: 'profile: none', values: yes },
  { directive: 'RestrictSUIDSGID', profiles: BASIC_AND_STRICT, protects: 'no new setuid/setgid files', knob: 'profile: none', values: yes },
  { directive: 'LockPersonality', profiles: BASIC_AND_STRICT, protects: 'the execution domain cannot be changed', knob: 'profile: none', values: yes },
  {
    directive: 'MemoryDenyWriteExecute',
    profiles: STRICT,
    protects: 'no writable+executable memory (blocks most code injection; breaks JIT runtimes)',
    knob: 'hardening.systemd.Service.MemoryDenyWriteExecute: false',
    values: yes,
  },
  { directive: 'RemoveIPC', profiles: BASIC_AND_STRICT, protects: "the user's System V IPC objects are removed when it stops", knob: 'profile: none', values: yes },
  {
    directive: 'CapabilityBoundingSet',
    // under none too once capabilities are listed: AmbientCapabilities= alone left every other one in the bounding
    // set, so a listed set was no limit at all (issue 12)
    profiles: ALL,
    protects: 'no capabilities at all, even as root, except the listed ones (under none: only when some are listed)',
    knob: 'capabilities',
    values: (s) => (s.hardening.profile === 'none' && s.hardening.capabilities.length === 0 ? [] : [s.hardening.capabilities.join(' ')]),
  },
  {
    directive: 'AmbientCapabilities',
    profiles: ALL,
    protects: 'the listed capabilities are handed to a non-root user',
    knob: 'capabilities',
    values: (s) => (s.hardening.capabilities.length > 0 ? [s.hardening.capabilities.join(' ')] : []),
  },
  { directive: 'SystemCallArchitectures', profiles: BASIC_AND_STRICT, protects: 'no system calls of foreign ABIs', knob: 'profile: none', values: () => ['native'] },
  {
    directive: 'SystemCallFilter',
    profiles: STRICT,
    protects: 'only the system calls of ordinary services, none of the privileged or resource-changing ones',
    knob: 'syscalls (allowed again after the deny line)',
    // Lines apply in order: the knob's calls go last, or `~@privileged @resources` would take them away again
    // (syscalls: [setpriority] would still be EPERM).
    values: (s) => ['@system-service', '~@privileged @resources', ...(s.hardening.syscalls.length > 0 ? [s.hardening.syscalls.join(' ')] : [])],
  },
  { directive: 'SystemCallErrorNumber', profiles: STRICT, protects: 'a blocked system call fails with EPERM instead of killing the job', knob: 'profile: basic', values: () => ['EPERM'] },
  {
    directive: 'RestrictAddressFamilies',
    profiles: STRICT,
    protects: 'sockets only of the families the network setting needs',
    knob: 'network',
    values: (s) => addressFamilies(s.hardening),
  },
  {
    directive: 'IPAddressDeny',
    profiles: ALL,
    protects: 'no IP traffic except as allowed below (network: false, loopback, and true under strict)',
    knob: 'network: all',
    values: (s, profile) => (ipAllowList(s.hardening, profile) === undefined ? [] : ['any']),
  },
  {
    directive: 'IPAddressAllow',
    profiles: ALL,
    protects: 'loopback only (network: loopback); unicast only, no multicast or broadcast (network: true under strict)',
    knob: 'network: all',
    values: (s, profile) => ipAllowList(s.hardening, profile) ?? [],
  },
  { directive: 'UMask', profiles: BASIC_AND_STRICT, protects: 'new files are private to the service user', knob: 'profile: none', values: () => ['0077'] },
  ...MANAGED_BASES.map(
    ([directive, base]): HardeningDirective => ({
      directive,
      profiles: ALL,
      protects: `${base}NAME is created, owned by the service user and writable`,
      knob: `workingDirectory or writablePaths under ${base}`,
      values: (s) => {
        const names = managedDirectories(s, directive);
        return names.length > 0 ? [names.map(systemdListItem).join(' ')] : [];
      },
    }),
  ),
  {
    directive: 'ReadWritePaths',
    profiles: ALL,
    protects: 'the only other writable paths',
    knob: 'writablePaths',
    values: (s) => {
      const paths = writablePaths(s).filter((p) => managedBase(p) === undefined);
      return paths.length > 0 ? [paths.map((p) => systemdListItem(`-${p}`)).join(' ')] : [];
    },
  },
  {
    directive: 'ReadOnlyPaths',
    profiles: ALL,
    protects: 'paths the job may read but never write',
    knob: 'readOnlyPaths',
    values: (s) => (s.hardening.readOnlyPaths.length > 0 ? [s.hardening.readOnlyPaths.map((p) => systemdListItem(`-${p}`)).join(' ')] : []),
  },
];

/** The directive lines for one service, in table order, as [directive, value] pairs. */
export function hardeningLines(service: ServiceModel): Array<readonly [string, string]> {
  const profile = service.hardening.profile;
  const lines: Array<readonly [string, string]> = [];
  for (const entry of HARDENING_TABLE) {
    if (!entry.profiles.includes(profile)) continue;
    for (const value of entry.values(service, profile)) lines.push([entry.directive, value]);
  }
  return lines;
}

/** The README's table of the systemd directives each profile sets (scripts/readme-tables.mjs, checked by a test). */
export function hardeningTableMarkdown(): string {
  const rows = HARDENING_TABLE.map((d) => {
    const profiles = d.profiles.length === 3 ? 'when the knob asks' : d.profiles.join(', ');
    return `| \`${d.directive}=\` | ${profiles} | ${d.protects} | ${d.knob} |`;
  });
  return ['| directive | profiles | protects | turned off or changed by |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

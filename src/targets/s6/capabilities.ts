/**
 * How s6-rc expresses each spec setting (the README's capability matrix is built from every target's table), and
 * what it can do more of with `sandbox: bwrap` (bubblewrap's namespaces). The run scripts are runit's pieces, so
 * most rows read like runit's.
 */
import { lifecycleNotYetRows } from '../lifecycle-not-yet.js';
import type { CapabilityRow } from '../target.js';

export const S6_CAPABILITIES: Readonly<Record<string, CapabilityRow>> = {
  description: ['exact', 'a comment in run'],
  command: ['exact', 'run, through s6-setuidgid'],
  precondition: ['exact', 'a guard in the loop, same exit-code rules'],
  onFailure: ['exact', 'run by the loop (or finish), with the MONITOR_* variables'],
  interval: ['exact', 'the loop in run'],
  calendar: ['exact', 'snooze(1), where it can express the expression'],
  randomizedDelay: ['exact', 'a random sleep from /dev/urandom'],
  onBoot: ['exact', 'first sleep after the service starts'],
  accuracy: ['n/a', 'the loop wakes exactly'],
  persistent: ['none', 'runs missed while the machine was off are not caught up'],
  user: ['exact', 's6-setuidgid (uid, primary group and groups from /etc/group)'],
  group: ['exact', 's6-applyuidgid -g'],
  supplementaryGroups: ['exact', 's6-applyuidgid -G: exactly the groups named'],
  dynamicUser: ['approximate', 'a static system user named after the service'],
  workingDirectory: ['exact', 'env -C in run (s6 starts run in its live service directory)'],
  environment: ['exact', 'env in run, from an empty environment'],
  environmentFile: ['approximate', "read by run as root, root's own file only, handed over through s6-envdir -f: no escapes or continuation lines"],
  credentials: ['approximate', 'copies in /run/pvpn-gen/credentials/NAME, 0400 for the service user, in $CREDENTIALS_DIRECTORY, removed when it stops'],
  'limits.memory': ['approximate', 'prlimit: per-process data, stack, locked memory and address space'],
  'limits.cpu': ['approximate', 'nice: a lower priority in proportion, not a cap'],
  'limits.nofile': ['exact', 'prlimit --nofile (soft and hard)'],
  'limits.nproc': ['exact', 'prlimit --nproc (soft and hard)'],
  'limits.runtime': ['exact', 'timeout(1)'],
  notify: ['exact', 'from the loop, detached: desktop as each logged-in person (loginctl, else /run/user/UID/bus; setpriv, gdbus), the command as the service user'],
  changedExitStatus: ['exact', 'the loop counts it as success'],
  nice: ['exact', 'nice(1)'],
  'hardening.profile': ['approximate', 'user, umask 077 and rlimits; more with sandbox: bwrap'],
  'hardening.network': ['none', 'only with sandbox: bwrap (--unshare-net)'],
  'hardening.writablePaths': ['n/a', 'everything the user may write stays writable'],
  'hardening.readOnlyPaths': ['none', 'no per-path protection without a mount namespace'],
  'hardening.capabilities': ['none', 's6-setuidgid cannot hand capabilities to a user'],
  'hardening.syscalls': ['none', 'no seccomp filter'],
  'hardening.devices': ['n/a', 'device files keep their own permissions'],
  'hardening.systemd': ['n/a', 'systemd-only by name'],
  sandbox: ['exact', 'bubblewrap'],
  logging: ['exact', 's6-log as _s6-log (never root) in a pipeline with the job (rotation at 4096 bytes or more)'],
  restart: ['exact', 'finish: exit 125 (no restart) when none is wanted'],
  restartDelay: ['exact', 'sleep in finish (with a longer timeout-finish)'],
  after: ['approximate', 'dependencies.d on services of the same spec (which also pulls them in); other units are ignored'],
  wants: ['approximate', 'dependencies.d on services of the same spec (a hard dependency); other units are ignored'],
  ...lifecycleNotYetRows('s6'),
};

/** With sandbox: bwrap, these rows replace the ones above. */
export const S6_SANDBOXED_CAPABILITIES: Readonly<Record<string, CapabilityRow>> = {
  'hardening.network': ['exact', 'bwrap --unshare-net: a private loopback only (for loopback and false); true and all share the host network, multicast included'],
  'hardening.writablePaths': ['exact', 'bwrap --bind on a read-only /'],
  'hardening.readOnlyPaths': ['exact', 'bwrap: all of / is read-only except writablePaths'],
};

/**
 * How runit expresses each spec setting (the README's capability matrix is built from every target's table), and
 * what it can do more of with `sandbox: bwrap` (bubblewrap's namespaces).
 */
import type { CapabilityRow } from '../target.js';

export const RUNIT_CAPABILITIES: Readonly<Record<string, CapabilityRow>> = {
  description: ['exact', 'a comment in run'],
  command: ['exact', 'run, through chpst'],
  precondition: ['exact', 'a guard in the loop, same exit-code rules'],
  onFailure: ['exact', 'run by the loop (or finish), with the MONITOR_* variables'],
  notify: ['exact', 'from the loop, detached: desktop as each logged-in person (loginctl, else /run/user/UID/bus; setpriv, gdbus), the command as the service user'],
  changedExitStatus: ['exact', 'the loop counts it as success'],
  interval: ['exact', 'the loop in run'],
  calendar: ['exact', 'snooze(1), where it can express the expression'],
  randomizedDelay: ['exact', 'a random sleep from /dev/urandom'],
  onBoot: ['exact', 'first sleep after the service starts'],
  accuracy: ['n/a', 'the loop wakes exactly'],
  persistent: ['none', 'runs missed while the machine was off are not caught up'],
  user: ['exact', 'chpst -u'],
  group: ['exact', 'chpst -u user:group'],
  supplementaryGroups: ['exact', 'chpst -u user:group:extra'],
  dynamicUser: ['approximate', 'a static system user named after the service'],
  workingDirectory: ['exact', 'cd in run'],
  environment: ['exact', 'export in run, from an empty environment'],
  environmentFile: ['approximate', "read by run as root, root's own file only, handed over through chpst -e: no escapes or continuation lines, trailing blanks dropped"],
  credentials: ['approximate', 'copies in /run/pvpn-gen/credentials/NAME, 0400 for the service user, in $CREDENTIALS_DIRECTORY, removed when it stops'],
  'limits.memory': ['approximate', 'chpst -m: per-process data, stack and address space'],
  'limits.cpu': ['approximate', 'chpst -n: a lower priority in proportion, not a cap'],
  'limits.nofile': ['exact', 'chpst -o'],
  'limits.nproc': ['exact', 'chpst -p'],
  'limits.runtime': ['exact', 'timeout(1)'],
  nice: ['exact', 'chpst -n'],
  'hardening.profile': ['approximate', 'user, umask 077 and rlimits; more with sandbox: bwrap'],
  'hardening.network': ['none', 'only with sandbox: bwrap (--unshare-net)'],
  'hardening.writablePaths': ['n/a', 'everything the user may write stays writable'],
  'hardening.readOnlyPaths': ['none', 'no per-path protection without a mount namespace'],
  'hardening.capabilities': ['none', 'chpst cannot hand capabilities to a user'],
  'hardening.syscalls': ['none', 'no seccomp filter'],
  'hardening.devices': ['n/a', 'device files keep their own permissions'],
  'hardening.systemd': ['n/a', 'systemd-only by name'],
  sandbox: ['exact', 'bubblewrap'],
  logging: ['exact', 'svlogd as _runit-log (never root) with a config file'],
  restart: ['exact', 'finish: sv down when no restart is wanted'],
  restartDelay: ['exact', 'sleep in finish'],
  after: ['none', 'runsvdir starts all services at once'],
  wants: ['none', 'no dependencies between runit services'],
};

/** With sandbox: bwrap, these rows replace the ones above. */
export const RUNIT_SANDBOXED_CAPABILITIES: Readonly<Record<string, CapabilityRow>> = {
  'hardening.network': ['exact', 'bwrap --unshare-net: a private loopback only (for loopback and false); true and all share the host network, multicast included'],
  'hardening.writablePaths': ['exact', 'bwrap --bind on a read-only /'],
  'hardening.readOnlyPaths': ['exact', 'bwrap: all of / is read-only except writablePaths'],
};

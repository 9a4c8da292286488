/**
 * How OpenRC (openrc-run + supervise-daemon, and pvpn-gen's run script) expresses each spec setting: the README's
 * capability matrix is built from every target's table. With `sandbox: bwrap` it can do what runit does in bubblewrap.
 */
import { lifecycleNotYetRows } from '../lifecycle-not-yet.js';
import type { CapabilityRow } from '../target.js';

export const OPENRC_CAPABILITIES: Readonly<Record<string, CapabilityRow>> = {
  description: ['exact', 'description= in the init script'],
  command: ['exact', 'the run script, supervised by supervise-daemon'],
  precondition: ['exact', 'a guard in the run script, same exit-code rules'],
  onFailure: ['exact', 'run by the run script, with the MONITOR_* variables'],
  interval: ['exact', 'a loop in the run script'],
  calendar: ['exact', 'snooze(1), where it can express the expression'],
  randomizedDelay: ['exact', 'a random sleep from /dev/urandom'],
  onBoot: ['exact', 'first sleep after the service starts'],
  accuracy: ['n/a', 'the loop wakes exactly'],
  persistent: ['none', 'runs missed while the machine was off are not caught up'],
  user: ['exact', 'setpriv --reuid'],
  group: ['exact', 'setpriv --regid'],
  supplementaryGroups: ['exact', 'setpriv --groups'],
  dynamicUser: ['approximate', 'a static system user named after the service'],
  workingDirectory: ['exact', 'env -C, as the user'],
  environment: ['exact', 'set after the drop to the user, from an empty environment'],
  environmentFile: ['approximate', "read by the run script as root, root's own file only, handed over on a descriptor: no escapes or continuation lines"],
  credentials: ['approximate', 'copies in /run/pvpn-gen/credentials/NAME, 0400 for the service user, in $CREDENTIALS_DIRECTORY, removed when it stops'],
  'limits.memory': ['approximate', 'prlimit --as --data: per-process address space and data'],
  'limits.cpu': ['approximate', 'nice: a lower priority in proportion, not a cap'],
  'limits.nofile': ['exact', 'prlimit --nofile'],
  'limits.nproc': ['exact', 'prlimit --nproc'],
  'limits.runtime': ['exact', 'timeout(1)'],
  notify: ['exact', 'from the loop, detached: desktop as each logged-in person (loginctl, else /run/user/UID/bus; setpriv, gdbus), the command as the service user'],
  changedExitStatus: ['exact', 'the loop counts it as success'],
  nice: ['exact', 'nice(1)'],
  'hardening.profile': ['approximate', 'user, umask 077, rlimits and no-new-privs (setpriv); more with sandbox: bwrap'],
  'hardening.network': ['none', 'only with sandbox: bwrap (--unshare-net)'],
  'hardening.writablePaths': ['n/a', 'everything the user may write stays writable'],
  'hardening.readOnlyPaths': ['none', 'no per-path protection without a mount namespace'],
  'hardening.capabilities': ['none', 'a dropped-to user gets no capabilities; a root job keeps all'],
  'hardening.syscalls': ['none', 'no seccomp filter'],
  'hardening.devices': ['n/a', 'device files keep their own permissions'],
  'hardening.systemd': ['n/a', 'systemd-only by name'],
  sandbox: ['exact', 'bubblewrap'],
  logging: ['approximate', 'LOGDIR/current, written by root in a directory of its own (logging.user unused), rotated by size when a run or a start begins'],
  restart: ['exact', 'the run script restarts the daemon as the policy says'],
  restartDelay: ['exact', 'sleep in the run script (whole seconds, at least 1)'],
  after: ['approximate', 'depend(): after NAME (NAME.service; network targets as net; other targets dropped)'],
  wants: ['approximate', 'depend(): want NAME (as for after)'],
  ...lifecycleNotYetRows('openrc'),
};

/** With sandbox: bwrap, these rows replace the ones above. */
export const OPENRC_SANDBOXED_CAPABILITIES: Readonly<Record<string, CapabilityRow>> = {
  'hardening.network': ['exact', 'bwrap --unshare-net: a private loopback only (for loopback and false); true and all share the host network, multicast included'],
  'hardening.writablePaths': ['exact', 'bwrap --bind on a read-only /'],
  'hardening.readOnlyPaths': ['exact', 'bwrap: all of / is read-only except writablePaths'],
};

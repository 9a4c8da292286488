/**
 * How dinit expresses each spec setting (the README's capability matrix is built from every target's table). dinit
 * starts a run script as root (templates/dinit/run.hbs), which does what dinit cannot, as runit's does, and drops
 * to the service user with util-linux's setpriv; with `sandbox: bwrap` bubblewrap adds namespaces.
 */
import { lifecycleNotYetRows } from '../lifecycle-not-yet.js';
import type { CapabilityRow } from '../target.js';

export const DINIT_CAPABILITIES: Readonly<Record<string, CapabilityRow>> = {
  description: ['exact', 'a comment in the service description'],
  command: ['exact', 'the run script, through setpriv'],
  precondition: ['exact', 'run by the run script first, same exit-code rules; a skipped daemon is stopped (dinit does not restart it)'],
  onFailure: ['exact', 'run by the run script when the job fails, with the MONITOR_* variables'],
  interval: ['exact', 'a loop in the run script (dinit has no timers)'],
  calendar: ['exact', 'snooze(1), where it can express the expression'],
  randomizedDelay: ['exact', 'a random sleep from /dev/urandom'],
  onBoot: ['exact', 'first sleep after the service starts'],
  accuracy: ['n/a', 'the loop wakes exactly'],
  persistent: ['none', 'runs missed while the machine was off are not caught up'],
  user: ['exact', 'setpriv --reuid, with the user\'s groups (--init-groups)'],
  group: ['exact', 'setpriv --regid'],
  supplementaryGroups: ['exact', 'setpriv --groups'],
  dynamicUser: ['approximate', 'a static system user named after the service'],
  workingDirectory: ['exact', 'cd as the user in the run script'],
  environment: ['exact', 'exported as the user, from an empty environment'],
  environmentFile: ['approximate', "read by the run script as root, root's own file only, handed over on a file descriptor: no escapes or continuation lines, trailing blanks dropped"],
  credentials: ['approximate', 'copies in /run/pvpn-gen/credentials/NAME, 0400 for the service user, in $CREDENTIALS_DIRECTORY, removed when it stops'],
  'limits.memory': ['approximate', 'prlimit --data, --stack and --as: per-process, not a cgroup limit'],
  'limits.cpu': ['approximate', 'nice: a lower priority in proportion, not a cap'],
  'limits.nofile': ['exact', 'prlimit --nofile'],
  'limits.nproc': ['exact', 'prlimit --nproc'],
  'limits.runtime': ['exact', 'timeout(1)'],
  notify: ['exact', 'from the loop, detached: desktop as each logged-in person (loginctl, else /run/user/UID/bus; setpriv, gdbus), the command as the service user'],
  changedExitStatus: ['exact', 'the loop counts it as success'],
  nice: ['exact', 'nice = in the service description'],
  'hardening.profile': ['approximate', 'user, umask 077, rlimits and setpriv --no-new-privs; more with sandbox: bwrap'],
  'hardening.network': ['none', 'only with sandbox: bwrap (--unshare-net)'],
  'hardening.writablePaths': ['n/a', 'everything the user may write stays writable'],
  'hardening.readOnlyPaths': ['none', 'no per-path protection without a mount namespace'],
  'hardening.capabilities': ['none', 'the job starts with no capabilities, none can be handed to it'],
  'hardening.syscalls': ['none', 'no seccomp filter'],
  'hardening.devices': ['n/a', 'device files keep their own permissions'],
  'hardening.systemd': ['n/a', 'systemd-only by name'],
  sandbox: ['exact', 'bubblewrap'],
  logging: ['approximate', 'logfile = /var/log/dinit/NAME.log (as Artix packages do), appended by dinit as root; dir, maxSize, keep and user are not used: dinit never rotates (logrotate with copytruncate)'],
  restart: ['exact', 'restart = true, on-failure or false; restart-limit-count = 0, so dinit never gives up'],
  restartDelay: ['exact', 'restart-delay'],
  after: ['none', 'systemd unit names: no dinit service to order after'],
  wants: ['none', 'systemd unit names: no dinit service to pull in'],
  ...lifecycleNotYetRows('dinit'),
};

/** With sandbox: bwrap, these rows replace the ones above. */
export const DINIT_SANDBOXED_CAPABILITIES: Readonly<Record<string, CapabilityRow>> = {
  'hardening.network': ['exact', 'bwrap --unshare-net: a private loopback only (for loopback and false); true and all share the host network, multicast included'],
  'hardening.writablePaths': ['exact', 'bwrap --bind on a read-only /'],
  'hardening.readOnlyPaths': ['exact', 'bwrap: all of / is read-only except writablePaths'],
};

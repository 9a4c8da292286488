/** systemd's facts: where units and sysusers.d files go, and which target enables what. */
export const SYSTEMD = {
  unitDir: '/etc/systemd/system',
  /** WantedBy= target of a periodic job's timer and of a daemon's service */
  timerWantedBy: 'timers.target',
  daemonWantedBy: 'multi-user.target',
  sysusersDir: '/etc/sysusers.d',
} as const;

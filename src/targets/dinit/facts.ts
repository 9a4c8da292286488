/**
 * dinit's facts (test/harness/inits-facts.md, measured on dinit 0.22 as PID 1): where Artix keeps service
 * descriptions and enables them, where its packages log, and where pvpn-gen keeps the run scripts dinit starts.
 */
export const DINIT = {
  /** service descriptions, one file per service, named as the service (no extension) */
  serviceDir: '/etc/dinit.d',
  /** the boot service's `waits-for.d`: `dinitctl enable NAME` links boot.d/NAME -> ../NAME */
  bootService: 'boot',
  bootDir: '/etc/dinit.d/boot.d',
  /** what Artix's packages log to (`logfile = /var/log/dinit/NAME.log`); the dinit package makes the directory */
  logDir: '/var/log/dinit',
  /** the control socket of a system dinit: it exists while dinit runs */
  socket: '/run/dinitctl',
  /**
   * pvpn-gen's run scripts, which dinit starts as root: in root's own directory, never in /etc/dinit.d, where dinit
   * would take a directory for a service description.
   */
  scriptDir: '/etc/pvpn-gen/dinit',
} as const;

/** The paths of one service. */
export function dinitPaths(name: string): { service: string; enableLink: string; run: string; logFile: string } {
  return {
    service: `${DINIT.serviceDir}/${name}`,
    enableLink: `${DINIT.bootDir}/${name}`,
    run: `${DINIT.scriptDir}/${name}/run`,
    logFile: `${DINIT.logDir}/${name}.log`,
  };
}

/** The modes of what pvpn-gen writes, by kind: the same on every target. */
export const FILE_MODE = {
  /** run, log/run, finish, init scripts: supervisors only start executable scripts */
  script: 0o755,
  /** unit files and service descriptions: world-readable by design, so secrets never go into them */
  unit: 0o644,
  config: 0o644,
} as const;

/**
 * OpenRC's facts (test/harness/inits-facts.md, measured on OpenRC 0.63 as on Artix): init scripts in /etc/init.d
 * (`#!/usr/bin/openrc-run`), enabled by a link in a runlevel's directory (what `rc-update add NAME default` makes),
 * state in /run/openrc. pvpn-gen's root-run script for each service lives beside them, in a directory of its own.
 */
export const OPENRC = {
  initDir: '/etc/init.d',
  /** the runlevel boot enters (Artix's `default`): the enable link goes here */
  runlevelDir: '/etc/runlevels/default',
  /** what a running OpenRC leaves (the current runlevel, no trailing newline) */
  softlevel: '/run/openrc/softlevel',
  stateDir: '/run/openrc',
  /** pvpn-gen's scripts that supervise-daemon runs as root: one per service, `run` (see templates/openrc/run.hbs) */
  scriptDir: '/etc/pvpn-gen/openrc',
} as const;

export interface OpenrcPaths {
  readonly initScript: string;
  readonly runScript: string;
  readonly enableLink: string;
}

export function openrcPaths(name: string): OpenrcPaths {
  return {
    initScript: `${OPENRC.initDir}/${name}`,
    runScript: `${OPENRC.scriptDir}/${name}/run`,
    enableLink: `${OPENRC.runlevelDir}/${name}`,
  };
}

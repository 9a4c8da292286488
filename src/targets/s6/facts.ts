/**
 * s6-rc's facts on Artix (the s6-rc 0.5 era; test/harness/inits-facts.md): the admin's source definitions in
 * /etc/s6/adminsv beside the packages' /etc/s6/sv, the `default` bundle boot brings up, the compiled database behind
 * the link /etc/s6/rc/compiled, the scan directory and the live directory; and who runs s6-log.
 */
export const S6_FACTS = {
  /** the packages' source definitions (compiled together with the admin's) */
  packageDir: '/etc/s6/sv',
  /** the admin's source definitions: where pvpn-gen writes */
  sourceDir: '/etc/s6/adminsv',
  /** the bundle boot brings up (`s6-rc -u change default`): enabling is a file in its contents.d */
  bundleContents: '/etc/s6/adminsv/default/contents.d',
  /** the link to the compiled database boot reads (s6-rc-init -c) */
  compiledLink: '/etc/s6/rc/compiled',
  /** s6-svscan's scan directory: each longrun's supervised directory is linked here */
  scanDir: '/run/service',
  /** s6-rc's live state: a link that s6-rc-init makes and each s6-rc-update moves */
  liveDir: '/run/s6-rc',
} as const;

/** The two longruns of a service and the pipeline (a bundle of both) s6-rc-compile makes of them. */
export function s6Names(name: string): { srv: string; log: string; pipeline: string } {
  return { srv: `${name}-srv`, log: `${name}-log`, pipeline: name };
}

/**
 * s6-log's user (created when missing): s6-log never runs as root, since it writes in a directory a root-run logger
 * would be redirected from by whoever could plant a link there.
 */
export const S6_LOG_USER = '_s6-log';

/**
 * What Artix's s6-db-reload does: compile both source trees into a new database, switch the live state to it
 * (s6-rc-update starts nothing new, stops and forgets what is gone, restarts longruns whose definition changed),
 * then point the boot link at it and remove the old database. One bad definition fails the compile and leaves the
 * old database in use. The stamp is the time of the reload, so two reloads never share a directory.
 */
export const S6_RELOAD_SCRIPT = [
  'set -e',
  `db=${S6_FACTS.compiledLink}-pvpn-gen-$(date +%s%N)`,
  `s6-rc-compile -- "$db" ${S6_FACTS.packageDir} ${S6_FACTS.sourceDir}`,
  `s6-rc-update -l ${S6_FACTS.liveDir} -- "$db"`,
  `old=$(readlink ${S6_FACTS.compiledLink} || true)`,
  `ln -sfn "\${db##*/}" ${S6_FACTS.compiledLink}.new`,
  `mv -T ${S6_FACTS.compiledLink}.new ${S6_FACTS.compiledLink}`,
  // the old database, when the link named one beside it (Artix's first is compiled-STAMP too)
  `case $old in '' | */* | .*) ;; *) rm -rf -- "/etc/s6/rc/$old" ;; esac`,
].join('\n');

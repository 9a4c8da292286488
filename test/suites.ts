/**
 * The suite in two vitest projects. `npm test` runs both; `npm run test:unit` runs `unit` alone.
 * - integration: the files and folders below, each with what puts it here: root, a program of
 *   test/support/tools.json (which `npm test` installs), or a long run.
 * - unit: every other test file, the pure core. It runs as any user, with node and what pvpn-gen itself needs
 *   (flock), in seconds.
 * A file that calls requireTool/requireRoot, boots a sandbox or runs a program of tools.json belongs here:
 * test/suites.test.ts checks that.
 */
export const INTEGRATION_TESTS: Readonly<Record<string, string>> = {
  'test/export/ansible-lint.test.ts': 'ansible-playbook --syntax-check and ansible-lint on exported roles',
  'test/fleet/': 'root: exported Ansible roles deployed to the fleet harness (a live runsvdir, a booted systemd)',
  'test/e2e/': 'root: pvpn-gen installs into the runit and systemd sandboxes and the jobs really run',
  'test/harness/': 'root: boots the systemd, runit, dinit, s6 and OpenRC machines (the last three from scripts/build-inits.sh); Ansible and D-Bus sessions in them',
  'test/security/': 'root: attacks run as service users under the real runsv and systemd',
  'test/system/crash.test.ts': 'long: an install killed at every step, hundreds of runs (a minute or more)',
  'test/system/crash-inits.test.ts': 'long: the same on OpenRC, dinit and s6 (minutes)',
  'test/system/failures.test.ts': 'root: a full tmpfs, a read-only bind mount',
  'test/system/install-cycle.test.ts': 'systemctl --root',
  'test/cli/terminal.test.ts': 'script(1) for a terminal',
  'test/cli/completion.test.ts': 'tmux, bash, zsh and fish: Tab pressed in the real shells',
  'test/cli/man.test.ts': 'man and groff render the man page',
  'test/cli/package.test.ts': 'npm pack, a global install of the tarball, makepkg and the packaging lint',
  'test/render/hostile-runit.test.ts': 'root, chpst, dash, shellcheck and the compiled probe',
  'test/render/hostile-dinit.test.ts': 'root: the dinit machine (scripts/build-inits.sh), setpriv and the compiled probe',
  'test/render/hostile-systemd.test.ts': 'root, systemd-analyze, systemd-sysusers, the systemd sandbox',
  'test/render/raw-directives.test.ts': "the installed systemd's libsystemd-core",
  'test/render/hostile-openrc.test.ts': 'root: the OpenRC machine, openrc-run, supervise-daemon and the compiled probe',
  'test/render/openrc-validators.test.ts': 'shellcheck, dash -n, and openrc-run in the OpenRC machine',
  'test/render/real-validators.test.ts': 'shellcheck, dash -n, systemd-analyze verify',
  'test/render/s6-validators.test.ts': 's6-rc-compile (scripts/build-inits.sh), shellcheck, dash -n',
  'test/render/security-score.test.ts': 'systemd-analyze security',
  'test/model/calendar.test.ts': 'systemd-analyze calendar, snooze -n',
  'test/test-setup.test.ts': 'root: runs the setup step as root and as nobody',
};

/** The same as vitest globs. */
export const INTEGRATION_GLOBS = Object.keys(INTEGRATION_TESTS).map((entry) => (entry.endsWith('/') ? `${entry}**/*.test.ts` : entry));

/** Whether FILE (relative to the repository, `test/...`) is an integration test. */
export function isIntegrationTest(file: string): boolean {
  return Object.keys(INTEGRATION_TESTS).some((entry) => (entry.endsWith('/') ? file.startsWith(entry) : file === entry));
}

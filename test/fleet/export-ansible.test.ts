/**
 * `pvpn-gen export ansible` deployed by real Ansible (Debian's ansible-core 2.14) to the three hosts of the fleet
 * harness (test/harness/fleet.sh) with one inventory: a live runsvdir (Void layout) running the spec's variant
 * `quiet` (pvpn_gen_variant in its host_vars), a booted systemd 252, and a staging root (a chroot with nothing
 * running, as an image being built) that gets dinit's files (pvpn_gen_target: dinit, pvpn_gen_live: false). Lean on
 * purpose, eight playbook runs: apply (the services run, the variant reaches its host only, and pvpn-gen itself
 * on each live host sees exactly what its own install would have made), apply again (changed=0 everywhere,
 * nothing restarted), the drift gate over a hand edit on one host (exit 1, that host and file named, the others
 * clean), an apply that repairs it and restarts that service only (the gate then exits 0), an apply of a re-export
 * without one service (gone from every host, its user too; the other service and files pvpn-gen does not own
 * untouched), and pvpn_gen_state=absent (nothing left). Lint and syntax: test/export/ansible-lint.test.ts.
 */
import { existsSync, mkdtempSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changesOf, failedMessages } from '../harness/ansible-results.js';
import { bootFleet, type Fleet, type FleetHost, type PlaybookRun } from '../harness/fleet.js';
import { cli } from '../support/cli.js';
import { BIN, REPO } from '../support/paths.js';
import { spawnCapture } from '../support/spawn.js';

const HOSTS: readonly FleetHost[] = ['runit', 'systemd', 'staging'];
const LIVE: readonly FleetHost[] = ['runit', 'systemd'];
const LIMIT = ['--limit', HOSTS.join(',')];
// a run over the three hosts takes 1-4 minutes here, depending on what else the 2 cores do
const PLAY_MS = 900_000;
const ECHO = `  fleet-echo:
    description: A daemon the fleet test deploys
    command: [/bin/sleep, "100000"]
    user: pvpnfleet
    restart: always
`;
const EXTRA = `  fleet-extra:
    description: The daemon a later export drops
    command: [/bin/sleep, "100001"]
    user: pvpnextra
    restart: always
`;
const VARIANTS = `variants:
  quiet:
    services:
      fleet-echo: { environment: { FLEET_MODE: quiet } }
`;
const SPEC = `version: 1\nproject: fleet\nservices:\n${ECHO}${EXTRA}${VARIANTS}`;
const SPEC_WITHOUT_EXTRA = `version: 1\nproject: fleet\nservices:\n${ECHO}${VARIANTS}`;
/** pvpn-gen on each live host, with the variant its inventory gives it */
const VARIANT_OF: Readonly<Record<string, string>> = { runit: ' --variant quiet', systemd: '' };
const UNIT = '/etc/systemd/system/fleet-echo.service';
const MANIFEST = '/var/lib/pvpn-gen/manifests/fleet.json';

function why(run: PlaybookRun): string {
  const failed = run.json ? HOSTS.flatMap((h) => failedMessages(run.json!, h).map((m) => `${h}: ${m}`)) : [];
  return [`exit ${run.code}`, ...failed, run.stderr.slice(-3000)].join('\n');
}

describe('export ansible: one inventory over a live runsvdir and a booted systemd', () => {
  let fleet: Fleet;
  const work = mkdtempSync(join(tmpdir(), 'pvpn-gen-fleet-export-'));
  const site = join(work, 'export/site.yml');

  const sh = async (host: FleetHost, script: string, input?: string): Promise<{ code: number; out: string }> => {
    const r = await fleet.exec(host, ['sh', '-c', script], { ...(input === undefined ? {} : { input }), timeoutMs: 60_000 });
    return { code: r.code, out: (r.stdout + r.stderr).trim() };
  };
  /** pvpn-gen itself on the host (the repository is visible inside both sandboxes; /tmp is theirs) */
  const pvpn = (host: FleetHost, args: string, spec = SPEC) =>
    sh(host, `cat > /tmp/fleet.yaml && cd /tmp && ${process.execPath} ${BIN} ${args}`, spec);
  const runitPid = async () => (await sh('runit', 'cat /var/service/fleet-echo/supervise/pid')).out;
  const systemdPid = async () => (await sh('systemd', 'systemctl show -P MainPID fleet-echo.service')).out;
  const play = (args: readonly string[] = []) => fleet.playbook(site, { args: [...LIMIT, ...args], timeoutMs: PLAY_MS });
  /** the export's own gate, its ansible-playbook run as the fleet runs every playbook (its inventory, hermetic) */
  const checkDrift = async () => {
    const shim = join(work, 'ansible-playbook');
    writeFileSync(shim, `#!/bin/sh\nexec /bin/bash ${REPO}/test/harness/fleet.sh playbook ${fleet.dir} -- "$@"\n`, { mode: 0o755 });
    const run = await spawnCapture(join(work, 'export/check-drift'), LIMIT, { env: { ...process.env, ANSIBLE_PLAYBOOK: shim }, timeoutMs: PLAY_MS });
    return { code: run.code, out: run.stdout + run.stderr };
  };

  const exportSpec = async (text: string) => {
    writeFileSync(join(work, 'fleet.yaml'), text);
    const exported = await cli(['export', 'ansible', '--out', join(work, 'export'), '--spec', join(work, 'fleet.yaml')], { cwd: REPO });
    expect(exported.code, exported.stderr).toBe(0);
  };
  /** what the plays wrote into the staging root */
  const staged = (path: string) => join(fleet.stagingUpper, path);

  beforeAll(async () => {
    await exportSpec(SPEC);
    fleet = await bootFleet();
    // the runit host is a Debian whose runsvdir scans /var/service: the Void layout, which no fact tells; it runs
    // the spec's variant quiet
    fleet.hostVars('runit', { pvpn_gen_layout: 'void', pvpn_gen_variant: 'quiet' });
    // an image being built for dinit machines: its facts describe this machine's /sbin/init, and nothing runs there
    fleet.hostVars('staging', { pvpn_gen_target: 'dinit', pvpn_gen_live: false });
  }, PLAY_MS);
  afterAll(async () => {
    await fleet?.stop();
    rmSync(work, { recursive: true, force: true });
  }, PLAY_MS);

  it('applies: each host gets the files of its init system (and variant), the services run, as install would have left them', async () => {
    const run = await play();
    expect(run.code, why(run)).toBe(0);
    expect((await sh('runit', 'sv status /var/service/fleet-echo')).out).toMatch(/^run: \/var\/service\/fleet-echo: \(pid \d+\)/);
    expect((await sh('runit', `ps -o user= -p "$(cat /var/service/fleet-echo/supervise/pid)"`)).out).toBe('pvpnfleet');
    expect((await sh('systemd', 'systemctl is-enabled fleet-echo fleet-extra; systemctl is-active fleet-echo fleet-extra')).out).toBe('enabled\nenabled\nactive\nactive');
    expect((await sh('systemd', `ps -o user= -p "$(systemctl show -P MainPID fleet-echo)"`)).out).toBe('pvpnfleet');
    for (const host of LIVE) {
      // pvpn-gen on the host reads the role's manifest: nothing to change, and it knows the users it may remove
      const diff = await pvpn(host, `diff --spec /tmp/fleet.yaml${VARIANT_OF[host]}`);
      expect(diff, host).toEqual({ code: 0, out: expect.stringMatching(/0 to create, 0 to update, 0 to remove, \d+ unchanged$/) });
      expect(JSON.parse((await sh(host, `cat ${MANIFEST}`)).out).accounts, host).toEqual({ groups: [], users: ['pvpnextra', 'pvpnfleet'] });
    }
    // the variant reaches its host only
    expect((await sh('runit', `grep -c FLEET_MODE=quiet /etc/sv/fleet-echo/run`)).out).toBe('1');
    expect((await sh('systemd', `grep -rc FLEET_MODE /etc/systemd/system/fleet-echo.service`)).code).toBe(1);
    expect((await sh('runit', 'stat -c "%a %U:%G" /etc/sv/fleet-echo/run /etc/sv/fleet-echo /var/lib/pvpn-gen')).out).toBe('755 root:root\n755 root:root\n755 root:root');
    // staging: dinit's files, its enable links and the manifest in the image, users in its passwd, nothing started
    for (const path of ['etc/dinit.d/fleet-echo', 'etc/pvpn-gen/dinit/fleet-extra/run', MANIFEST.slice(1)]) expect(existsSync(staged(path)), path).toBe(true);
    expect(readlinkSync(staged('etc/dinit.d/boot.d/fleet-echo'))).toBe('/etc/dinit.d/fleet-echo');
    expect(readFileSync(staged('etc/passwd'), 'utf8')).toMatch(/^pvpnfleet:/m);
    expect(JSON.parse(readFileSync(staged(MANIFEST.slice(1)), 'utf8'))).toMatchObject({ target: 'dinit', accounts: { users: ['pvpnextra', 'pvpnfleet'] } });
    expect(existsSync(staged('etc/systemd/system/fleet-echo.service'))).toBe(false);
  }, PLAY_MS);

  it('a second apply changes nothing and restarts nothing', async () => {
    const before = [await runitPid(), await systemdPid()];
    const run = await play();
    expect(run.code, why(run)).toBe(0);
    expect(Object.fromEntries(HOSTS.map((h) => [h, run.stats[h]?.changed]))).toEqual({ runit: 0, systemd: 0, staging: 0 });
    expect([await runitPid(), await systemdPid()]).toEqual(before);
  }, PLAY_MS);

  it('the drift gate (check-drift) exits 1 over a hand edit on one host, naming host and file, and leaves the edit', async () => {
    await sh('systemd', `echo '# edited by hand' >> ${UNIT}`);
    const gate = await checkDrift();
    expect(gate.code, gate.out).toBe(1);
    expect(gate.out).toContain(`pvpn-gen drift on systemd: ${UNIT}`);
    expect(gate.out).toMatch(/^runit +: ok=\d+ +changed=0 +unreachable=0 +failed=0/m);
    expect(gate.out).toMatch(/^staging +: ok=\d+ +changed=0 +unreachable=0 +failed=0/m);
    expect(gate.out).toContain('-# edited by hand'); // the diff (--diff) of that file: the host's line goes
    expect((await sh('systemd', `tail -n 1 ${UNIT}`)).out).toBe('# edited by hand');
  }, PLAY_MS);

  it('an apply repairs it: that unit rewritten, systemd reloaded, that service restarted, the other host untouched', async () => {
    const [runitBefore, systemdBefore] = [await runitPid(), await systemdPid()];
    const run = await play();
    expect(run.code, why(run)).toBe(0);
    expect([run.stats.runit?.changed, run.stats.staging?.changed]).toEqual([0, 0]);
    expect(changesOf(run.json!, 'systemd')).toEqual([UNIT, 'ansible.builtin.command: systemctl daemon-reload', 'ansible.builtin.command: systemctl restart fleet-echo.service']);
    expect(await runitPid()).toBe(runitBefore);
    expect(await systemdPid()).not.toBe(systemdBefore);
    expect((await pvpn('systemd', 'diff --spec /tmp/fleet.yaml')).code).toBe(0);
    const gate = await checkDrift();
    expect(gate.code, gate.out).toBe(0);
  }, PLAY_MS);

  it('a service dropped from the spec goes from every host on the next apply, and only it', async () => {
    // files pvpn-gen does not own, beside the dropped service's
    await sh('runit', 'mkdir -p /etc/sv/not-ours && printf "#!/bin/sh\\n" > /etc/sv/not-ours/run');
    await sh('systemd', 'printf "[Unit]\\n" > /etc/systemd/system/not-ours.service');
    const [runitBefore, systemdBefore] = [await runitPid(), await systemdPid()];
    await exportSpec(SPEC_WITHOUT_EXTRA);
    const run = await play();
    expect(run.code, why(run)).toBe(0);
    const left = 'ls -d /etc/sv/fleet-extra /var/service/fleet-extra /etc/systemd/system/fleet-extra.service /etc/systemd/system/multi-user.target.wants/fleet-extra.service /etc/sysusers.d/pvpn-gen-fleet-extra.conf 2>/dev/null; getent passwd pvpnextra; pgrep -fx "/bin/sleep 100001"';
    for (const host of LIVE) {
      expect(await sh(host, left), host).toEqual({ code: 1, out: '' });
      expect(await pvpn(host, `diff --spec /tmp/fleet.yaml${VARIANT_OF[host]}`, SPEC_WITHOUT_EXTRA), host).toEqual({ code: 0, out: expect.stringMatching(/0 to create, 0 to update, 0 to remove, \d+ unchanged$/) });
      expect(JSON.parse((await sh(host, `cat ${MANIFEST}`)).out).accounts, host).toEqual({ groups: [], users: ['pvpnfleet'] });
    }
    expect((await sh('systemd', 'systemctl is-active fleet-extra; systemctl --failed --plain --no-legend | grep -c fleet')).out).toBe('inactive\n0');
    for (const path of ['etc/dinit.d/fleet-extra', 'etc/dinit.d/boot.d/fleet-extra', 'etc/pvpn-gen/dinit/fleet-extra']) expect(existsSync(staged(path)), path).toBe(false);
    expect(readFileSync(staged('etc/passwd'), 'utf8')).not.toMatch(/^pvpnextra:/m);
    expect(existsSync(staged('etc/dinit.d/fleet-echo'))).toBe(true);
    // the service that stays was not restarted; what pvpn-gen does not own stays
    expect([await runitPid(), await systemdPid()]).toEqual([runitBefore, systemdBefore]);
    expect((await sh('runit', 'cat /etc/sv/not-ours/run')).out).toBe('#!/bin/sh');
    expect((await sh('systemd', 'cat /etc/systemd/system/not-ours.service')).out).toBe('[Unit]');
  }, PLAY_MS);

  it('pvpn_gen_state=absent stops and removes everything the role installed, on every host', async () => {
    const run = await play(['-e', 'pvpn_gen_state=absent']);
    expect(run.code, why(run)).toBe(0);
    const left = 'ls -d /etc/sv/fleet-echo /var/service/fleet-echo /etc/systemd/system/fleet-echo.service /etc/systemd/system/multi-user.target.wants/fleet-echo.service /etc/sysusers.d/pvpn-gen-fleet-echo.conf /var/lib/pvpn-gen 2>/dev/null; getent passwd pvpnfleet; pgrep -fx "/bin/sleep 100000"';
    for (const host of LIVE) expect(await sh(host, left), host).toEqual({ code: 1, out: '' });
    expect((await pvpn('systemd', 'status')).out).toMatch(/nothing is installed here/);
    for (const path of ['etc/dinit.d/fleet-echo', 'etc/dinit.d/boot.d', 'etc/pvpn-gen/dinit', MANIFEST.slice(1)]) expect(existsSync(staged(path)), path).toBe(false);
  }, PLAY_MS);
});

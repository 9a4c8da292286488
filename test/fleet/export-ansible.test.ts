/**
 * `pvpn-gen export ansible` deployed by real Ansible (Debian's ansible-core 2.14) to two hosts of the fleet
 * harness (test/harness/fleet.sh) with one inventory: a live runsvdir (Void layout) and a booted systemd 252. Lean
 * on purpose, six playbook runs: apply (the services run, and pvpn-gen itself on each host sees exactly what its
 * own install would have made), apply again (changed=0, nothing restarted), the drift gate over a hand edit on one
 * host (exit 1, that host and file named, the other host clean), an apply that repairs it and restarts that service
 * only (the gate then exits 0), and pvpn_gen_state=absent (nothing left). Lint and syntax: test/export/ansible-lint.test.ts.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changesOf, failedMessages } from '../harness/ansible-results.js';
import { bootFleet, type Fleet, type FleetHost, type PlaybookRun } from '../harness/fleet.js';
import { cli } from '../support/cli.js';
import { BIN, REPO } from '../support/paths.js';
import { spawnCapture } from '../support/spawn.js';

const HOSTS: readonly FleetHost[] = ['runit', 'systemd'];
const LIMIT = ['--limit', HOSTS.join(',')];
// a run over the two hosts takes 1-4 minutes here, depending on what else the 2 cores do
const PLAY_MS = 420_000;
const SPEC = `version: 1
project: fleet
services:
  fleet-echo:
    description: A daemon the fleet test deploys
    command: [/bin/sleep, "100000"]
    user: pvpnfleet
    restart: always
`;
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
  const pvpn = (host: FleetHost, args: string) =>
    sh(host, `cat > /tmp/fleet.yaml && cd /tmp && ${process.execPath} ${BIN} ${args}`, SPEC);
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

  beforeAll(async () => {
    writeFileSync(join(work, 'fleet.yaml'), SPEC);
    const exported = await cli(['export', 'ansible', '--out', join(work, 'export'), '--spec', join(work, 'fleet.yaml')], { cwd: REPO });
    expect(exported.code, exported.stderr).toBe(0);
    fleet = await bootFleet();
    // the runit host is a Debian whose runsvdir scans /var/service: the Void layout, which no fact tells
    fleet.hostVars('runit', { pvpn_gen_layout: 'void' });
  }, PLAY_MS);
  afterAll(async () => {
    await fleet?.stop();
    rmSync(work, { recursive: true, force: true });
  }, PLAY_MS);

  it('applies: each host gets the files of its init system, the services run, as install would have left them', async () => {
    const run = await play();
    expect(run.code, why(run)).toBe(0);
    expect((await sh('runit', 'sv status /var/service/fleet-echo')).out).toMatch(/^run: \/var\/service\/fleet-echo: \(pid \d+\)/);
    expect((await sh('runit', `ps -o user= -p "$(cat /var/service/fleet-echo/supervise/pid)"`)).out).toBe('pvpnfleet');
    expect((await sh('systemd', 'systemctl is-enabled fleet-echo; systemctl is-active fleet-echo')).out).toBe('enabled\nactive');
    expect((await sh('systemd', `ps -o user= -p "$(systemctl show -P MainPID fleet-echo)"`)).out).toBe('pvpnfleet');
    for (const host of HOSTS) {
      // pvpn-gen on the host reads the role's manifest: nothing to change, and it knows the user it may remove
      const diff = await pvpn(host, 'diff --spec /tmp/fleet.yaml');
      expect(diff, host).toEqual({ code: 0, out: expect.stringMatching(/0 to create, 0 to update, 0 to remove, \d+ unchanged$/) });
      expect(JSON.parse((await sh(host, `cat ${MANIFEST}`)).out).accounts, host).toEqual({ groups: [], users: ['pvpnfleet'] });
    }
    expect((await sh('runit', 'stat -c "%a %U:%G" /etc/sv/fleet-echo/run /etc/sv/fleet-echo /var/lib/pvpn-gen')).out).toBe('755 root:root\n755 root:root\n755 root:root');
  }, PLAY_MS);

  it('a second apply changes nothing and restarts nothing', async () => {
    const before = [await runitPid(), await systemdPid()];
    const run = await play();
    expect(run.code, why(run)).toBe(0);
    expect(Object.fromEntries(HOSTS.map((h) => [h, run.stats[h]?.changed]))).toEqual({ runit: 0, systemd: 0 });
    expect([await runitPid(), await systemdPid()]).toEqual(before);
  }, PLAY_MS);

  it('the drift gate (check-drift) exits 1 over a hand edit on one host, naming host and file, and leaves the edit', async () => {
    await sh('systemd', `echo '# edited by hand' >> ${UNIT}`);
    const gate = await checkDrift();
    expect(gate.code, gate.out).toBe(1);
    expect(gate.out).toContain(`pvpn-gen drift on systemd: ${UNIT}`);
    expect(gate.out).toMatch(/^runit +: ok=\d+ +changed=0 +unreachable=0 +failed=0/m);
    expect(gate.out).toContain('-# edited by hand'); // the diff (--diff) of that file: the host's line goes
    expect((await sh('systemd', `tail -n 1 ${UNIT}`)).out).toBe('# edited by hand');
  }, PLAY_MS);

  it('an apply repairs it: that unit rewritten, systemd reloaded, that service restarted, the other host untouched', async () => {
    const [runitBefore, systemdBefore] = [await runitPid(), await systemdPid()];
    const run = await play();
    expect(run.code, why(run)).toBe(0);
    expect(run.stats.runit?.changed).toBe(0);
    expect(changesOf(run.json!, 'systemd')).toEqual([UNIT, 'ansible.builtin.command: systemctl daemon-reload', 'ansible.builtin.command: systemctl restart fleet-echo.service']);
    expect(await runitPid()).toBe(runitBefore);
    expect(await systemdPid()).not.toBe(systemdBefore);
    expect((await pvpn('systemd', 'diff --spec /tmp/fleet.yaml')).code).toBe(0);
    const gate = await checkDrift();
    expect(gate.code, gate.out).toBe(0);
  }, PLAY_MS);

  it('pvpn_gen_state=absent stops and removes everything the role installed, on both hosts', async () => {
    const run = await play(['-e', 'pvpn_gen_state=absent']);
    expect(run.code, why(run)).toBe(0);
    const left = 'ls -d /etc/sv/fleet-echo /var/service/fleet-echo /etc/systemd/system/fleet-echo.service /etc/systemd/system/multi-user.target.wants/fleet-echo.service /etc/sysusers.d/pvpn-gen-fleet-echo.conf /var/lib/pvpn-gen 2>/dev/null; getent passwd pvpnfleet; pgrep -fx "/bin/sleep 100000"';
    for (const host of HOSTS) expect(await sh(host, left), host).toEqual({ code: 1, out: '' });
    expect((await pvpn('systemd', 'status')).out).toMatch(/nothing is installed here/);
  }, PLAY_MS);
});

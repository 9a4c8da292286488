// The fleet harness with real Ansible (Debian's ansible-core 2.14): one inventory, three hosts (a staging root, a
// live runsvdir, a booted systemd 252), the probe role (test/harness/ansible/roles/pvpn_probe, a small prototype of
// what `pvpn-gen export ansible` writes) applied, applied again, checked for drift, repaired.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serialiseManifest } from '../../src/plan/manifest.js';
import type { Manifest } from '../../src/plan/types.js';
import { changesOf, driftOf, factOf, failedMessages } from './ansible-results.js';
import { FLEET_HOSTS, ansibleLint, bootFleet, type Fleet, type FleetHost, type PlaybookRun } from './fleet.js';

const ANSIBLE_DIR = fileURLToPath(new URL('./ansible/', import.meta.url));
const PROBE = join(ANSIBLE_DIR, 'probe.yml');
const FILES = join(ANSIBLE_DIR, 'roles/pvpn_probe/files');
const GREETING = '/etc/pvpn-probe/greeting';
const MANIFEST = '/var/lib/pvpn-probe/manifest.json';
// a playbook run over the three hosts takes 15-45 s here, depending on what else the 2 cores do
const PLAY_MS = 240_000;

/** path -> [`stat -c '%a %U:%G'`, the role's source file] on each host, as the role's vars/main.yml lists them */
const EXPECTED: Record<FleetHost, Array<[string, string, string]>> = {
  staging: [
    [GREETING, '640 root:pvpnprobe', 'hosts/staging/etc/pvpn-probe/greeting'], // pre-rendered for this host
    ['/etc/sv/pvpn-probe/run', '755 root:root', 'runit-void/etc/sv/pvpn-probe/run'],
  ],
  runit: [
    [GREETING, '640 root:pvpnprobe', 'runit-void/etc/pvpn-probe/greeting'],
    ['/etc/sv/pvpn-probe/run', '755 root:root', 'runit-void/etc/sv/pvpn-probe/run'],
  ],
  systemd: [
    [GREETING, '640 root:pvpnprobe', 'systemd/etc/pvpn-probe/greeting'],
    ['/etc/systemd/system/pvpn-probe.service', '644 root:root', 'systemd/etc/systemd/system/pvpn-probe.service'],
  ],
};

/** a summary that says why a run failed, for expect's message */
function why(run: PlaybookRun): string {
  const failed = run.json ? FLEET_HOSTS.flatMap((h) => failedMessages(run.json!, h).map((m) => `${h}: ${m}`)) : [];
  return [`exit ${run.code}`, ...failed, run.stderr.slice(-3000)].join('\n');
}

function changedPerHost(run: PlaybookRun): Record<string, number | undefined> {
  return Object.fromEntries(FLEET_HOSTS.map((h) => [h, run.stats[h]?.changed]));
}

/** every path under DIR, relative, sorted */
function tree(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();
}

describe('fleet: one inventory over a staging root, a live runsvdir and a booted systemd', () => {
  let fleet: Fleet;

  const sh = async (host: FleetHost, script: string): Promise<string> => {
    const r = await fleet.exec(host, ['sh', '-c', script]);
    if (r.code !== 0) throw new Error(`${host}: ${script}: exit ${r.code}: ${r.stderr}`);
    return r.stdout.trim();
  };
  const runitPid = () => sh('runit', 'cat /var/service/pvpn-probe/supervise/pid');
  const systemdPid = () => sh('systemd', 'systemctl show -P MainPID pvpn-probe.service');

  beforeAll(async () => {
    fleet = await bootFleet();
    // a staging root: its facts describe the image's /sbin/init, so the target is the inventory's word
    fleet.hostVars('staging', { pvpn_probe_target: 'runit', pvpn_probe_layout: 'void', pvpn_probe_live: false });
    fleet.hostVars('runit', { pvpn_probe_layout: 'void' });
  }, PLAY_MS);
  afterAll(async () => {
    await fleet?.stop();
  }, PLAY_MS);

  it('ansible-lint passes the probe role with the production profile', async () => {
    const lint = await ansibleLint(['--profile', 'production', PROBE, join(ANSIBLE_DIR, 'roles/pvpn_probe')]);
    expect(lint.code, lint.stdout + lint.stderr).toBe(0);
  }, PLAY_MS);

  it('applies the role: each host gets its tree, exact bytes, modes and owners, and its service runs', async () => {
    const run = await fleet.playbook(PROBE);
    expect(run.code, why(run)).toBe(0);
    const json = run.json!;
    // what Ansible itself concludes about each host (the role maps runsvdir to runit)
    expect(FLEET_HOSTS.map((h) => factOf(json, h, 'ansible_service_mgr'))).toEqual(['systemd', 'runsvdir', 'systemd']);
    for (const host of FLEET_HOSTS) {
      for (const [path, modeOwner, source] of EXPECTED[host]) {
        expect(await sh(host, `stat -c '%a %U:%G' ${path}`), `${host} ${path}`).toBe(modeOwner);
        // bytes as in the role, `{{`, `{% raw %}` and `${#VAR}` included: copied, never templated
        expect((await fleet.exec(host, ['cat', path])).stdout, `${host} ${path}`).toBe(readFileSync(join(FILES, source), 'utf8'));
      }
    }
    // the staging root got exactly the role's tree (and the account files useradd rewrote): no ~/.ansible, no temp
    const accountFiles = /^etc\/(\.pwd\.lock|(passwd|group|shadow|gshadow)-?)$/;
    expect(tree(fleet.stagingUpper).filter((p) => !accountFiles.test(p))).toEqual([
      'etc', 'etc/pvpn-probe', 'etc/pvpn-probe/greeting', 'etc/sv', 'etc/sv/pvpn-probe', 'etc/sv/pvpn-probe/run',
      'var', 'var/lib', 'var/lib/pvpn-probe', 'var/lib/pvpn-probe/manifest.json', 'var/service', 'var/service/pvpn-probe',
    ]);
    // the manifest, byte for byte as pvpn-gen serialises its own, with the user the role created
    for (const host of FLEET_HOSTS) {
      const tree = host === 'systemd' ? 'systemd' : 'runit-void';
      const manifest = { ...JSON.parse(readFileSync(join(FILES, `manifests/${tree}.json`), 'utf8')), accounts: { groups: [], users: ['pvpnprobe'] } };
      expect((await fleet.exec(host, ['cat', MANIFEST])).stdout, host).toBe(serialiseManifest(manifest as Manifest));
    }
    expect(await sh('staging', 'readlink /var/service/pvpn-probe')).toBe('/etc/sv/pvpn-probe');
    // runit: runsv supervises it, as the service user
    expect(await sh('runit', 'sv status /var/service/pvpn-probe')).toMatch(/^run: \/var\/service\/pvpn-probe: \(pid \d+\)/);
    expect(await sh('runit', `ps -o user= -p "$(cat /var/service/pvpn-probe/supervise/pid)"`)).toBe('pvpnprobe');
    // systemd: enabled through the rendered link, started after the daemon-reload
    expect(await sh('systemd', 'systemctl is-enabled pvpn-probe.service; systemctl is-active pvpn-probe.service')).toBe('enabled\nactive');
    expect(await sh('systemd', `ps -o user= -p "$(systemctl show -P MainPID pvpn-probe.service)"`)).toBe('pvpnprobe');
  }, PLAY_MS);

  it('a second apply changes nothing on any host and restarts nothing', async () => {
    const [runitBefore, systemdBefore] = [await runitPid(), await systemdPid()];
    const run = await fleet.playbook(PROBE);
    expect(run.code, why(run)).toBe(0);
    expect(changedPerHost(run)).toEqual({ staging: 0, runit: 0, systemd: 0 });
    expect([await runitPid(), await systemdPid()]).toEqual([runitBefore, systemdBefore]);
  }, PLAY_MS);

  it('--check --diff names the host and the file of a hand edit, and changes nothing', async () => {
    await sh('runit', `echo 'edited by hand' >> ${GREETING}`);
    const run = await fleet.playbook(PROBE, { args: ['--check', '--diff'] });
    expect(run.code, why(run)).toBe(0); // ansible-playbook itself: drift is not failure
    const drift = driftOf(run);
    expect(drift).toEqual({ code: 1, drifted: [{ host: 'runit', files: [GREETING] }], message: `runit: drifted: ${GREETING}` });
    expect(await sh('runit', `tail -n 1 ${GREETING}`)).toBe('edited by hand');
  }, PLAY_MS);

  it('the gate says 2 when a host fails', async () => {
    fleet.hostVars('staging', { pvpn_probe_target: 'openrc', pvpn_probe_live: false });
    try {
      const run = await fleet.playbook(PROBE, { args: ['--check', '--diff', '--limit', 'staging'] });
      expect(run.code).toBe(2); // ansible-playbook: a host failed
      const drift = driftOf(run);
      expect(drift.code).toBe(2);
      expect(drift.message).toMatch(/^staging: failed: .*set pvpn_probe_target/);
    } finally {
      fleet.hostVars('staging', { pvpn_probe_target: 'runit', pvpn_probe_layout: 'void', pvpn_probe_live: false });
    }
  }, PLAY_MS);

  it('an apply repairs the edit, restarts only the service whose file changed, and the gate then says 0', async () => {
    const [runitBefore, systemdBefore] = [await runitPid(), await systemdPid()];
    const run = await fleet.playbook(PROBE);
    expect(run.code, why(run)).toBe(0);
    expect(changesOf(run.json!, 'runit')).toEqual([GREETING, 'ansible.builtin.command: sv restart /var/service/pvpn-probe']);
    expect(changedPerHost(run)).toMatchObject({ staging: 0, systemd: 0 });
    expect(await runitPid()).not.toBe(runitBefore);
    expect(await systemdPid()).toBe(systemdBefore);
    expect(await sh('runit', `cat ${GREETING}`)).toBe(readFileSync(join(FILES, 'runit-void', GREETING), 'utf8').trim());

    const check = await fleet.playbook(PROBE, { args: ['--check', '--diff'] });
    expect(driftOf(check)).toEqual({ code: 0, drifted: [], message: '' });
  }, PLAY_MS);
});

/**
 * OpenRC end to end: `pvpn-gen install` into a machine whose PID 1 is the real openrc-init (OpenRC 0.63, laid out as
 * Artix's: test/harness/openrc-sandbox.sh). A job like the seed spec (fixtures/protonvpn-updater.yaml: precondition,
 * failure hook, its own user, environment and environment file, credentials, limits, strict hardening) runs
 * repeatedly under supervise-daemon with exactly its argv, environment and user; a failing precondition skips runs;
 * run-now, stop, start and restart work through pvpn-gen and rc-service; the log rotates at its size; status shows
 * the runs; uninstall stops and removes everything and leaves the machine's files as they were.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { InitMachine } from '../harness/init-machine.js';
import { bootOpenrc } from '../harness/openrc-sandbox.js';
import { BIN, REPO } from '../support/paths.js';
import { sleep, waitUntil as waitFor } from './runit-helpers.js';

const PROBE = `#!/usr/bin/python3
# writes what it was started with (argv, environment, ids, limits, a credential) as JSON, and some log volume
import json, os, resource, sys, time
environ = dict(kv.split("=", 1) for kv in open("/proc/self/environ").read().split("\\0") if kv)
cred = os.environ.get("CREDENTIALS_DIRECTORY")
record = {"argv": sys.argv, "env": environ, "uid": os.getuid(), "gid": os.getgid(), "groups": sorted(os.getgroups()), "cwd": os.getcwd(),
          "nofile": resource.getrlimit(resource.RLIMIT_NOFILE)[0], "nice": os.nice(0), "umask": os.umask(0o77),
          "token": open(cred + "/token").read() if cred else None,
          "nnp": [l for l in open("/proc/self/status") if l.startswith("NoNewPrivs")][0].split()[1]}
with open("/tmp/probe-out/%d-%d.json" % (time.time_ns(), os.getpid()), "w") as f:
    json.dump(record, f)
print("probe ran " + "x" * 400)
`;

const SPEC = `version: 1
services:
  e2e-job:
    description: periodic probe, like the seed spec
    command: [/usr/local/bin/pvpn-probe, "first arg", "$HOME", "it's", ""]
    precondition: [/usr/bin/test, -e, /tmp/go]
    interval: 2s
    user: daemon
    workingDirectory: /tmp
    environment: { GREETING: "hello world", QUOTED: "a'b\\"c $X", FROM_FILE: spec }
    environmentFile: /etc/e2e/job.env
    credentials: { token: /etc/e2e/token }
    limits: { nofile: 512, cpu: 50% }
    hardening: strict
    logging: { dir: /var/log/e2e-job, maxSize: 2048, keep: 3 }
  e2e-manual:
    command: [/usr/local/bin/pvpn-probe, manual]
    interval: 1h
    onBoot: 1h
    user: pvpn-e2e
    workingDirectory: /var/lib/pvpn-e2e
    logging: { dir: /var/log/e2e-manual }
  e2e-fail:
    command: [/bin/false]
    onFailure: [/usr/local/bin/pvpn-probe, hook]
    interval: 1h
    user: daemon
`;

interface Probe {
  argv: string[];
  env: Record<string, string>;
  uid: number;
  gid: number;
  groups: number[];
  cwd: string;
  nofile: number;
  nice: number;
  umask: number;
  token: string | null;
  nnp: string;
}

/** What the machine holds outside OpenRC's own state: install and uninstall must leave it as it was. */
const SNAPSHOT = 'find /etc /var/lib /run /usr/local -xdev -path /run/openrc -prune -o -printf "%p %M %u\\n" | sort';

describe('OpenRC (openrc-init 0.63, supervise-daemon)', () => {
  let m: InitMachine;
  let before = '';
  const sh = (script: string, input?: string) => m.exec(['sh', '-c', script], input === undefined ? {} : { input });
  const pvpn = (...args: string[]) =>
    m.exec(['sh', '-c', 'cd /root/e2e && exec env PVPN_GEN_RENDERER=silent NO_COLOR=1 "$@"', 'sh', process.execPath, BIN, ...args], { timeoutMs: 60_000 });
  const probes = async (filter = '') => {
    const r = await sh('for f in /tmp/probe-out/*.json; do [ -e "$f" ] && cat "$f" && echo; done');
    return r.stdout
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Probe)
      .filter((p) => (filter ? p.argv[1] === filter : p.argv[1] !== 'manual' && p.argv[1] !== 'hook'));
  };

  beforeAll(async () => {
    m = await bootOpenrc({ binds: [REPO] });
    // as on Artix: no runit directories beside OpenRC's (the machine is an overlay of this Debian host, which has them)
    await sh('rm -rf /etc/sv /etc/service /etc/runit /var/service');
    await sh('cat > /usr/local/bin/pvpn-probe && chmod 755 /usr/local/bin/pvpn-probe', PROBE);
    await sh('mkdir -p /tmp/probe-out && chmod 1777 /tmp/probe-out');
    await sh('mkdir -m 0755 -p /etc/e2e && printf "FROM_FILE=file value \\nSECRET_ENV=\\"s3cret  \\"\\n" > /etc/e2e/job.env && printf tok3n > /etc/e2e/token && chmod 0600 /etc/e2e/job.env /etc/e2e/token');
    before = (await sh(SNAPSHOT)).stdout;
    await sh('mkdir -p /root/e2e && cat > /root/e2e/pvpn-gen.yaml', SPEC);
  }, 120_000);
  afterAll(async () => {
    await m?.stop();
  });

  test('detect finds OpenRC (no layouts)', async () => {
    const r = await pvpn('detect', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ found: true, target: 'openrc', layout: null });
  }, 30_000);

  test('install writes /etc/init.d, the run scripts and the runlevel links, and starts the services', async () => {
    const r = await pvpn('install', '--target', 'openrc', '--yes');
    expect(r.stderr).not.toContain('error');
    expect(r.code).toBe(0);
    expect((await sh('readlink /etc/runlevels/default/e2e-job; head -1 /etc/init.d/e2e-job; stat -c %a /etc/init.d/e2e-job')).stdout).toBe('/etc/init.d/e2e-job\n#!/usr/bin/openrc-run\n755\n');
    for (const name of ['e2e-job', 'e2e-manual', 'e2e-fail']) {
      expect(await m.exec(['rc-service', name, 'status'])).toMatchObject({ code: 0, stdout: ' * status: started\n' });
    }
    expect((await sh('getent passwd pvpn-e2e')).stdout).toMatch(/^pvpn-e2e:x:\d+:\d+::\/var\/lib\/pvpn-e2e:\/usr\/sbin\/nologin$/m);
    await waitFor('the state directory', async () => (await sh('stat -c %U:%a /var/lib/pvpn-e2e')).stdout.trim() === 'pvpn-e2e:700');
  }, 60_000);

  test('while the precondition fails, runs are skipped and logged', async () => {
    await waitFor('a skipped run in the log', async () => (await sh('cat /var/log/e2e-job/current')).stdout.includes('pvpn-gen: run skipped precondition-status=1'));
    expect(await probes()).toEqual([]);
  }, 30_000);

  test('the job runs repeatedly with exactly its argv, environment, user, limits and credential', async () => {
    await sh('touch /tmp/go');
    await waitFor('three runs', async () => (await probes()).length >= 3, 30_000);
    const daemon = (await sh('id -u daemon; id -g daemon; id -G daemon')).stdout.trim().split('\n');
    for (const probe of await probes()) {
      expect(probe.argv).toEqual(['/usr/local/bin/pvpn-probe', 'first arg', '$HOME', "it's", '']);
      expect(probe.env).toEqual({
        PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
        USER: 'daemon',
        LOGNAME: 'daemon',
        HOME: '/usr/sbin',
        GREETING: 'hello world',
        QUOTED: 'a\'b"c $X',
        // the environment file wins over the spec; quotes taken off, the blanks inside them kept
        FROM_FILE: 'file value',
        SECRET_ENV: 's3cret  ',
        CREDENTIALS_DIRECTORY: '/run/pvpn-gen/credentials/e2e-job',
      });
      expect([probe.uid, probe.gid]).toEqual([Number(daemon[0]), Number(daemon[1])]);
      expect(probe.groups).toEqual((daemon[2] ?? '').split(' ').map(Number).sort((a, b) => a - b));
      expect(probe).toMatchObject({ cwd: '/tmp', nofile: 512, nice: 10, umask: 0o77, token: 'tok3n', nnp: '1' });
    }
    // the environment file's values never reach a command line
    expect((await sh("grep -l 's3cre[t]' /proc/[0-9]*/cmdline 2>/dev/null")).stdout).toBe('');
  }, 60_000);

  test('status shows the runs, skipped runs, and the next run', async () => {
    const r = await pvpn('status', '--json', 'e2e-job');
    expect(r.code).toBe(0);
    const [status] = (JSON.parse(r.stdout) as { services: Array<Record<string, unknown> & { lastRun: { outcome: string; status: number } }> }).services;
    expect(status).toMatchObject({ name: 'e2e-job', target: 'openrc', kind: 'periodic', enabled: true });
    expect(['waiting', 'running']).toContain(status?.state);
    expect(status?.lastRun).toMatchObject({ outcome: 'success', status: 0 });
    expect(Number(status?.skipped)).toBeGreaterThan(0);
    expect(typeof status?.nextRun).toBe('string');
    expect((await pvpn('status')).stdout).toMatch(/e2e-job \(periodic, openrc\): enabled, (waiting|running) \(pid \d+\)\n {2}last run: success .* exit 0/);
  }, 30_000);

  test('run-now runs a job outside its schedule (rc-service NAME runnow: HUP to the loop)', async () => {
    expect(await probes('manual')).toEqual([]);
    const r = await pvpn('run-now', 'e2e-manual');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('e2e-manual: run started');
    await waitFor('the manual run', async () => (await probes('manual')).length === 1, 15_000);
    expect((await probes('manual'))[0]?.uid).toBe(Number((await sh('id -u pvpn-e2e')).stdout.trim()));
  }, 30_000);

  test('a failed run runs the onFailure hook with the MONITOR_* variables, and status says it failed', async () => {
    await waitFor('the failure hook', async () => (await probes('hook')).length === 1);
    expect((await probes('hook'))[0]?.env).toMatchObject({ MONITOR_UNIT: 'e2e-fail', MONITOR_SERVICE_RESULT: 'exit-code', MONITOR_EXIT_CODE: 'exited', MONITOR_EXIT_STATUS: '1' });
    const r = await pvpn('status', '--json', 'e2e-fail');
    const [status] = (JSON.parse(r.stdout) as { services: Array<{ lastRun: { outcome: string; status: number } }> }).services;
    expect(status?.lastRun).toMatchObject({ outcome: 'failed', status: 1 });
    expect((await sh('cat /var/log/e2e-fail/current')).stdout).toMatch(/pvpn-gen: run failed status=1 [\s\S]*pvpn-gen: failure hook finished status=0/);
  }, 30_000);

  test('stop, start and restart work through pvpn-gen; a stop removes the copies root handed the job', async () => {
    expect((await pvpn('stop', 'e2e-job')).code).toBe(0);
    expect(await m.exec(['rc-service', 'e2e-job', 'status'])).toMatchObject({ code: 3 });
    expect((await sh('ls -A /run/pvpn-gen/credentials /run/pvpn-gen/environment')).stdout).not.toContain('e2e-job');
    const stoppedAt = (await probes()).length;
    await sleep(2500);
    expect((await probes()).length).toBe(stoppedAt);
    expect((await pvpn('status', 'e2e-job')).stdout).toMatch(/e2e-job \(periodic, openrc\): enabled, stopped/);
    expect((await pvpn('start', 'e2e-job')).code).toBe(0);
    await waitFor('runs after start', async () => (await probes()).length > stoppedAt);
    const pid = (await sh('cat /run/openrc/options/e2e-job/child_pid')).stdout;
    expect((await pvpn('restart', 'e2e-job')).code).toBe(0);
    await waitFor('the restarted run script', async () => {
      const now = (await sh('cat /run/openrc/options/e2e-job/child_pid')).stdout;
      return now !== '' && now !== pid;
    });
  }, 60_000);

  test('the log rotates at the configured size, keeping 3 files; logs shows the last lines', async () => {
    await waitFor('a rotated log file', async () => (await sh('ls /var/log/e2e-job')).stdout.includes('current.1'), 30_000);
    await waitFor('three rotated files', async () => (await sh('ls /var/log/e2e-job')).stdout.includes('current.3'), 60_000);
    expect((await sh('ls /var/log/e2e-job; stat -c %U:%a /var/log/e2e-job')).stdout).toBe('current\ncurrent.1\ncurrent.2\ncurrent.3\nroot:750\n');
    const logs = await pvpn('logs', 'e2e-job', '-n', '5');
    expect(logs.code).toBe(0);
    expect(logs.stdout.trim().split('\n').length).toBeLessThanOrEqual(5);
  }, 120_000);

  test('uninstall stops and removes everything: the machine is as it was', async () => {
    const r = await pvpn('uninstall', '--yes');
    expect(r.stderr).not.toContain('error');
    expect(r.code).toBe(0);
    expect((await sh('pgrep -x supervise-daemon; pgrep -u daemon; ls /etc/init.d | grep e2e')).stdout).toBe('');
    expect((await sh('getent passwd pvpn-e2e')).code).not.toBe(0);
    // what stays: the service's data (as systemd keeps a StateDirectory=), and pvpn-gen's empty, root-only
    // directories on the /run tmpfs; nothing of the service's is left in them
    expect((await sh('ls -A /run/pvpn-gen/credentials /run/pvpn-gen/environment')).stdout).not.toMatch(/e2e/);
    const kept = (text: string) => text.split('\n').filter((l) => !/^\/(run\/pvpn-gen|var\/lib\/pvpn-e2e)[ /]/.test(l));
    expect(kept((await sh(SNAPSHOT)).stdout)).toEqual(kept(before));
  }, 60_000);
});

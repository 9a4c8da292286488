/**
 * dinit end to end: `pvpn-gen install` into a machine whose PID 1 is the real dinit 0.22 (test/harness/
 * dinit-sandbox.sh, Artix's layout). The job runs repeatedly with exactly its argv, environment and user; a failing
 * precondition skips runs; a daemon runs, is restarted when it fails and stays down when stopped; run-now, stop,
 * start and restart work through pvpn-gen and dinitctl; status shows the runs; logs reads dinit's logfile;
 * uninstall stops and removes everything, leaving the root as it was before the install.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { bootDinit } from '../harness/dinit-sandbox.js';
import type { InitMachine } from '../harness/init-machine.js';
import { BIN, REPO } from '../support/paths.js';
import { sleep, waitUntil as waitFor } from './runit-helpers.js';

const PROBE = `#!/usr/bin/python3
# writes what it was started with (argv, environment, ids, groups, limits) as JSON
import json, os, resource, sys, time
environ = dict(kv.split("=", 1) for kv in open("/proc/self/environ").read().split("\\0") if kv)
record = {"argv": sys.argv, "env": environ, "uid": os.getuid(), "gid": os.getgid(), "groups": sorted(os.getgroups()),
          "cwd": os.getcwd(), "nofile": resource.getrlimit(resource.RLIMIT_NOFILE), "nice": os.nice(0), "umask": os.umask(0o22)}
with open("/tmp/probe-out/%d-%d.json" % (time.time_ns(), os.getpid()), "w") as f:
    json.dump(record, f)
print("probe ran")
if len(sys.argv) > 1 and sys.argv[1] == "daemon":
    if os.path.exists("/tmp/daemon-fails"):
        sys.exit(3)
    time.sleep(1000)
`;

const SPEC = `version: 1
services:
  e2e-job:
    description: periodic probe
    command: [/usr/local/bin/pvpn-probe, "first arg", "$HOME", "it's", "", "\\\\ \\" $$ %n"]
    precondition: [/usr/bin/test, -e, /tmp/go]
    interval: 1s
    user: daemon
    workingDirectory: /tmp
    environment: { GREETING: "hello world", QUOTED: "a'b\\"c $X" }
    limits: { nofile: 321 }
    nice: 3
    hardening: basic
  e2e-manual:
    command: [/usr/local/bin/pvpn-probe, manual]
    interval: 1h
    onBoot: 1h
    user: pvpn-e2e
    supplementaryGroups: [audio]
    workingDirectory: /var/lib/pvpn-e2e
  e2e-fail:
    command: [/bin/false]
    onFailure: [/usr/local/bin/pvpn-probe, hook]
    interval: 1h
    user: daemon
  e2e-daemon:
    command: [/usr/local/bin/pvpn-probe, daemon]
    onFailure: [/usr/local/bin/pvpn-probe, daemon-hook]
    restart: on-failure
    restartDelay: 1s
    user: daemon
  e2e-skip:
    command: [/usr/local/bin/pvpn-probe, skipped-daemon]
    precondition: [/usr/bin/test, -e, /tmp/never]
    restart: always
    user: daemon
`;

interface Probe {
  argv: string[];
  env: Record<string, string>;
  uid: number;
  gid: number;
  groups: number[];
  cwd: string;
  nofile: number[];
  nice: number;
  umask: number;
}

describe('dinit (0.22 as PID 1, Artix layout)', () => {
  let m: InitMachine;
  const sh = (script: string, input?: string) => m.exec(['sh', '-c', script], input === undefined ? {} : { input });
  const pvpn = (...args: string[]) => m.exec(['env', 'PVPN_GEN_RENDERER=silent', 'NO_COLOR=1', process.execPath, BIN, ...args], { timeoutMs: 90_000 });
  const probes = async (filter = ''): Promise<Probe[]> => {
    const r = await sh(`for f in /tmp/probe-out/*.json; do [ -e "$f" ] && cat "$f" && echo; done`);
    return r.stdout
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Probe)
      .filter((p) => (filter ? p.argv[1] === filter : p.argv[1] === 'first arg'));
  };
  const dinitStatus = async (name: string) => (await sh(`dinitctl status ${name}`)).stdout;
  /** what the install may change, listed (files with their owner and mode, links with their target) */
  const snapshot = () =>
    sh(
      'find /etc/dinit.d /etc/pvpn-gen /var/lib/pvpn-gen /run/pvpn-gen -printf "%p %u %m %l\\n" 2>/dev/null | sort; getent passwd pvpn-e2e daemon; getent group pvpn-e2e',
    ).then((r) => r.stdout);
  let before = '';

  beforeAll(async () => {
    m = await bootDinit({ binds: [REPO] });
    await sh('cat > /usr/local/bin/pvpn-probe && chmod 755 /usr/local/bin/pvpn-probe', PROBE);
    await sh('mkdir -p /tmp/probe-out && chmod 1777 /tmp/probe-out && mkdir -p /root/e2e && cat > /root/e2e/pvpn-gen.yaml', SPEC);
    before = await snapshot();
  }, 120_000);
  afterAll(async () => {
    await m?.stop();
  });

  test('detect finds dinit by its control socket', async () => {
    const r = await pvpn('detect');
    expect(r.stdout).toContain('/run/dinitctl exists: dinit runs');
  }, 60_000);

  test('install writes the files, enables and starts every service under dinit', async () => {
    const r = await pvpn('--spec', '/root/e2e/pvpn-gen.yaml', 'install', '--target', 'dinit', '--yes');
    expect(r.stderr).not.toContain('error');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    for (const name of ['e2e-job', 'e2e-manual', 'e2e-fail', 'e2e-daemon']) {
      expect((await sh(`readlink /etc/dinit.d/boot.d/${name}`)).stdout).toBe(`/etc/dinit.d/${name}\n`);
      expect((await sh(`dinitctl is-started ${name}`)).stdout).toBe('STARTED\n');
    }
    expect((await sh('stat -c %U:%a /etc/dinit.d/e2e-job /etc/pvpn-gen/dinit/e2e-job/run')).stdout).toBe('root:644\nroot:755\n');
    expect((await sh('getent passwd pvpn-e2e')).stdout).toMatch(/^pvpn-e2e:x:\d+:\d+::\/var\/lib\/pvpn-e2e:\/usr\/sbin\/nologin$/m);
    await waitFor('the state directory', async () => (await sh('stat -c %U:%a /var/lib/pvpn-e2e')).stdout.trim() === 'pvpn-e2e:700');
    // started as boot's dependencies (what `dinitctl enable` does), not explicitly: stopping boot would stop them
    // (not tried here: a --container dinit with nothing left to run exits)
    expect(await dinitStatus('e2e-manual')).toContain('Activation: start due to dependent(s)');
    expect((await sh('dinitctl list')).stdout).toMatch(/\[\[\+\] +\] boot\n/);
  }, 120_000);

  test('while the precondition fails, runs are skipped and logged', async () => {
    await waitFor('a skipped run in the log', async () => (await sh('cat /var/log/dinit/e2e-job.log')).stdout.includes('pvpn-gen: run skipped precondition-status=1'));
    expect(await probes()).toEqual([]);
  }, 30_000);

  test('the job runs repeatedly with exactly its argv, environment, user, limits and nice', async () => {
    await sh('touch /tmp/go');
    await waitFor('three runs', async () => (await probes()).length >= 3, 20_000);
    const [uid, gid] = (await sh('id -u daemon; id -g daemon')).stdout.trim().split('\n').map(Number);
    const groups = (await sh('id -G daemon')).stdout.trim().split(' ').map(Number).sort((a, b) => a - b);
    const home = (await sh('getent passwd daemon | cut -d: -f6')).stdout.trim();
    for (const probe of await probes()) {
      expect(probe.argv).toEqual(['/usr/local/bin/pvpn-probe', 'first arg', '$HOME', "it's", '', '\\ " $$ %n']);
      expect(probe.env).toEqual({
        PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
        USER: 'daemon',
        LOGNAME: 'daemon',
        HOME: home,
        GREETING: 'hello world',
        QUOTED: 'a\'b"c $X',
      });
      expect([probe.uid, probe.gid, probe.groups]).toEqual([uid, gid, groups]);
      expect(probe.cwd).toBe('/tmp');
      expect(probe.nofile).toEqual([321, 321]);
      expect(probe.nice).toBe(3);
      expect(probe.umask).toBe(0o77);
    }
  }, 40_000);

  test('status shows the runs, skipped runs, and the next run', async () => {
    const r = await pvpn('status', '--json', 'e2e-job');
    expect(r.code, r.stderr).toBe(0);
    const [status] = (JSON.parse(r.stdout) as { services: Array<Record<string, unknown> & { lastRun: { outcome: string; status: number }; runs: unknown[] }> }).services;
    expect(status).toMatchObject({ name: 'e2e-job', target: 'dinit', kind: 'periodic', enabled: true });
    expect(['waiting', 'running']).toContain(status?.state);
    expect(status?.lastRun).toMatchObject({ outcome: 'success', status: 0 });
    expect(Number(status?.skipped)).toBeGreaterThan(0);
    expect(status?.runs.length).toBeGreaterThanOrEqual(3);
    expect(typeof status?.nextRun).toBe('string');
    const text = await pvpn('status');
    expect(text.stdout).toMatch(/e2e-job \(periodic, dinit\): enabled, (waiting|running)/);
  }, 60_000);

  test('run-now runs a job outside its schedule, as its user with its groups', async () => {
    expect(await probes('manual')).toEqual([]);
    const r = await pvpn('run-now', 'e2e-manual');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    await waitFor('the manual run', async () => (await probes('manual')).length === 1, 15_000);
    const [uid, audio] = (await sh('id -u pvpn-e2e; getent group audio | cut -d: -f3')).stdout.trim().split('\n').map(Number);
    const [probe] = await probes('manual');
    expect(probe?.uid).toBe(uid);
    expect(probe?.groups).toContain(audio);
    expect(probe?.cwd).toBe('/var/lib/pvpn-e2e');
  }, 60_000);

  test('a failed run runs the onFailure hook with the MONITOR_* variables, and status says it failed', async () => {
    await waitFor('the failure hook', async () => (await probes('hook')).length === 1);
    const [hook] = await probes('hook');
    expect(hook?.env).toMatchObject({ MONITOR_UNIT: 'e2e-fail', MONITOR_SERVICE_RESULT: 'exit-code', MONITOR_EXIT_CODE: 'exited', MONITOR_EXIT_STATUS: '1' });
    const r = await pvpn('status', '--json', 'e2e-fail');
    const [status] = (JSON.parse(r.stdout) as { services: Array<{ lastRun: { outcome: string; status: number } }> }).services;
    expect(status?.lastRun).toMatchObject({ outcome: 'failed', status: 1 });
    expect((await sh('cat /var/log/dinit/e2e-fail.log')).stdout).toMatch(/pvpn-gen: run failed status=1 [\s\S]*pvpn-gen: failure hook finished status=0/);
  }, 30_000);

  test('a daemon runs; when it fails the hook runs and dinit restarts it; stop keeps it down', async () => {
    await waitFor('the daemon', async () => (await probes('daemon')).length === 1);
    expect(await dinitStatus('e2e-daemon')).toMatch(/State: STARTED/);
    await sh('touch /tmp/daemon-fails');
    await sh('pkill -KILL -f "pvpn-probe daemon$"');
    await waitFor('the daemon hook', async () => (await probes('daemon-hook')).length >= 1);
    await waitFor('restarts', async () => (await probes('daemon')).length >= 3, 20_000);
    const r = await pvpn('status', '--json', 'e2e-daemon');
    const [status] = (JSON.parse(r.stdout) as { services: Array<{ runs: Array<{ outcome: string }> }> }).services;
    expect(status?.runs.some((run) => run.outcome === 'failed')).toBe(true);
    await sh('rm /tmp/daemon-fails');
    expect((await pvpn('stop', 'e2e-daemon')).code).toBe(0);
    expect(await dinitStatus('e2e-daemon')).toMatch(/State: STOPPED/);
    const stoppedAt = (await probes('daemon')).length;
    await sleep(2500);
    expect((await probes('daemon')).length).toBe(stoppedAt);
    expect((await pvpn('start', 'e2e-daemon')).code).toBe(0);
    await waitFor('the daemon again', async () => (await probes('daemon')).length > stoppedAt);
  }, 90_000);

  test('a daemon whose precondition fails is not started, and dinit does not restart it', async () => {
    await waitFor('the skipped start', async () => (await dinitStatus('e2e-skip')).includes('State: STOPPED'), 20_000);
    await sleep(3000);
    expect(await probes('skipped-daemon')).toEqual([]);
    expect((await sh('grep -c "start skipped precondition-status=1" /var/lib/pvpn-gen/runs/e2e-skip')).stdout).toBe('1\n');
    const r = await pvpn('status', '--json', 'e2e-skip');
    const [status] = (JSON.parse(r.stdout) as { services: Array<{ state: string; skipped: number }> }).services;
    expect(status).toMatchObject({ state: 'stopped', skipped: 1 });
  }, 60_000);

  test('stop, start and restart work through pvpn-gen', async () => {
    expect((await pvpn('stop', 'e2e-job')).code).toBe(0);
    expect(await dinitStatus('e2e-job')).toMatch(/State: STOPPED/);
    const stoppedAt = (await probes()).length;
    await sleep(2500);
    expect((await probes()).length).toBe(stoppedAt);
    expect((await pvpn('start', 'e2e-job')).code).toBe(0);
    await waitFor('runs after start', async () => (await probes()).length > stoppedAt);
    const pidOf = (text: string) => /Process ID: (\d+)/.exec(text)?.[1];
    const first = pidOf(await dinitStatus('e2e-job'));
    expect((await pvpn('restart', 'e2e-job')).code).toBe(0);
    await waitFor('the restarted loop', async () => {
      const after = pidOf(await dinitStatus('e2e-job'));
      return after !== undefined && after !== first;
    }, 10_000);
  }, 60_000);

  test('logs shows the end of dinit\'s logfile', async () => {
    const logs = await pvpn('logs', 'e2e-job', '-n', '5');
    expect(logs.code).toBe(0);
    const shown = logs.stdout.trim().split('\n');
    expect(shown.length).toBe(5);
    expect(logs.stdout).toMatch(/pvpn-gen: |probe ran/);
  }, 60_000);

  test('uninstall stops and removes everything; the root is as it was before', async () => {
    const r = await pvpn('uninstall', '--yes');
    expect(r.stderr).not.toContain('error');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect((await sh('dinitctl list')).stdout).toBe('[[+]     ] boot\n');
    expect((await sh('pgrep -f "^/usr/bin/python3 /usr/local/bin/pvpn-probe"')).code).toBe(1);
    expect(await snapshot()).toBe(before);
    // the service's state stays, as systemd keeps a StateDirectory=, and what dinit appended, as a package's logs
    expect((await sh('test -d /var/lib/pvpn-e2e')).code).toBe(0);
    expect((await sh('ls /var/log/dinit')).stdout).toContain('e2e-job.log');
  }, 90_000);
});

/**
 * s6-rc end to end: `pvpn-gen install --target s6` into a machine whose PID 1 is the real s6-svscan with s6-rc
 * 0.5 (test/harness/s6-sandbox.sh, Artix's layout). The periodic job runs repeatedly with exactly its argv,
 * environment and user; a failing precondition skips runs; run-now, stop, start and restart work through pvpn-gen
 * and s6-svc; a daemon gets exactly the groups, environment file and credential the spec names and stays down after
 * it exits (restart: no); s6-log writes the log as its own user; status shows the runs; uninstall brings everything
 * down and leaves the machine as it was before the install.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { InitMachine } from '../harness/init-machine.js';
import { waitInside } from '../harness/inits-support.js';
import { bootS6 } from '../harness/s6-sandbox.js';
import { BIN, REPO } from '../support/paths.js';
import { sleep } from './runit-helpers.js';

const PROBE = `#!/usr/bin/python3
# writes what it was started with (argv, environment, ids) as JSON
# the environment as exec'd (/proc/self/environ): python itself may add LC_CTYPE to os.environ (PEP 538)
import json, os, sys, time
environ = dict(kv.split("=", 1) for kv in open("/proc/self/environ").read().split("\\0") if kv)
record = {"argv": sys.argv, "env": environ, "uid": os.getuid(), "gid": os.getgid(), "groups": sorted(os.getgroups()), "cwd": os.getcwd()}
with open("/tmp/probe-out/%d-%d.json" % (time.time_ns(), os.getpid()), "w") as f:
    json.dump(record, f)
print("probe ran " + "x" * 200)
`;

const SPEC = `version: 1
services:
  e2e-job:
    description: periodic probe
    command: [/usr/local/bin/pvpn-probe, "first arg", "$HOME", "it's", "", "tab\there"]
    precondition: [/usr/bin/test, -e, /tmp/go]
    interval: 1s
    user: daemon
    workingDirectory: /tmp
    environment: { GREETING: "hello world", QUOTED: "a'b\\"c $X \`id\`" }
    logging: { dir: /var/log/e2e-job, maxSize: 4096, keep: 3 }
    hardening: basic
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
  e2e-daemon:
    command: [/bin/sh, -c, 'cat "$CREDENTIALS_DIRECTORY/token" > /tmp/probe-out/token && exec /usr/local/bin/pvpn-probe daemon']
    restart: "no"
    user: daemon
    group: pvpn-e2e-main
    supplementaryGroups: [pvpn-e2e-extra]
    environment: { FROM_SPEC: spec, OVERRIDDEN: spec }
    environmentFile: /etc/pvpn-e2e/env
    credentials: { token: /etc/pvpn-e2e/token }
  e2e-sleeper:
    command: [/bin/sleep, "1000"]
    restart: on-failure
    user: daemon
`;

interface Probe {
  argv: string[];
  env: Record<string, string>;
  uid: number;
  gid: number;
  groups: number[];
  cwd: string;
}

describe('s6-rc (s6-svscan as PID 1, Artix layout)', () => {
  let m: InitMachine;
  const sh = (script: string) => m.sh(script);
  const pvpn = (...args: string[]) => m.exec(['env', 'PVPN_GEN_RENDERER=silent', 'NO_COLOR=1', process.execPath, BIN, '--spec', '/root/e2e/pvpn-gen.yaml', ...args], { timeoutMs: 90_000 });
  const probes = async (which: string) => {
    const r = await sh('for f in /tmp/probe-out/*.json; do [ -e "$f" ] && cat "$f" && echo; done');
    return r.stdout
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Probe)
      .filter((p) => (which === 'job' ? p.argv[1] === 'first arg' : p.argv[1] === which));
  };
  const waitFor = async (what: string, check: () => Promise<boolean>, ms = 20_000) => {
    const deadline = Date.now() + ms;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await sleep(200);
    }
  };
  // what the machine holds that an install touches: the source trees, the compiled database's services, the scan
  // directory, the accounts
  const snapshot = async () =>
    (
      await sh(
        'find /etc/s6/adminsv /etc/s6/sv | sort; s6-rc-db -c /etc/s6/rc/compiled list all | sort; ls -A /run/service; getent passwd | cut -d: -f1 | sort; getent group | cut -d: -f1 | sort; ls -A /var/lib',
      )
    ).stdout;
  let before = '';

  beforeAll(async () => {
    m = await bootS6({ binds: [REPO] });
    m.writeFile('/usr/local/bin/pvpn-probe', PROBE, 0o755);
    await sh('mkdir -p /tmp/probe-out /root/e2e /etc/pvpn-e2e && chmod 1777 /tmp/probe-out && groupadd pvpn-e2e-main && groupadd pvpn-e2e-extra');
    m.writeFile('/root/e2e/pvpn-gen.yaml', SPEC);
    m.writeFile('/etc/pvpn-e2e/env', 'FROM_FILE="  spaced  "\nOVERRIDDEN=file\n# comment\n', 0o600);
    m.writeFile('/etc/pvpn-e2e/token', 's3cret\n', 0o400);
    before = await snapshot();
  }, 90_000);
  afterAll(async () => {
    await m?.stop();
  });

  test('install compiles the sources, switches the database and brings every pipeline up', async () => {
    expect((await sh('getent passwd pvpn-e2e')).code).not.toBe(0);
    const r = await pvpn('install', '--target', 's6', '--yes');
    expect(r.stderr).not.toContain('error');
    expect(r.code).toBe(0);
    const active = (await sh('s6-rc -a list')).stdout.split('\n');
    for (const name of ['e2e-job', 'e2e-manual', 'e2e-fail', 'e2e-daemon']) expect(active).toEqual(expect.arrayContaining([`${name}-srv`, `${name}-log`]));
    expect((await sh('s6-rc-db -c /etc/s6/rc/compiled contents default | sort')).stdout).toBe(
      ['e2e-daemon-log', 'e2e-daemon-srv', 'e2e-fail-log', 'e2e-fail-srv', 'e2e-job-log', 'e2e-job-srv', 'e2e-manual-log', 'e2e-manual-srv', 'e2e-sleeper-log', 'e2e-sleeper-srv', ''].join('\n'),
    );
    for (const dir of ['e2e-job-srv', 'e2e-job-log']) expect((await sh(`s6-svstat -o up /run/service/${dir}`)).stdout).toBe('true\n');
    expect((await sh('ps -o user= -C s6-log | sort -u')).stdout).toBe('_s6-log\n');
    await waitInside(m, 'stat -c %U:%a /var/lib/pvpn-e2e | grep -x pvpn-e2e:700');
  }, 120_000);

  test('while the precondition fails, runs are skipped and logged', async () => {
    await waitInside(m, 'grep -q "pvpn-gen: run skipped precondition-status=1" /var/log/e2e-job/current');
    expect(await probes('job')).toEqual([]);
  }, 40_000);

  test('the job runs repeatedly with exactly its argv, environment and user', async () => {
    await sh('touch /tmp/go');
    await waitFor('three runs', async () => (await probes('job')).length >= 3);
    const daemon = (await sh('id -u daemon; id -g daemon')).stdout.trim().split('\n').map(Number);
    for (const probe of await probes('job')) {
      expect(probe.argv).toEqual(['/usr/local/bin/pvpn-probe', 'first arg', '$HOME', "it's", '', 'tab\there']);
      expect(probe.env).toEqual({
        PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
        USER: 'daemon',
        LOGNAME: 'daemon',
        HOME: '/usr/sbin',
        GREETING: 'hello world',
        QUOTED: 'a\'b"c $X `id`',
      });
      expect([probe.uid, probe.gid]).toEqual(daemon);
      expect(probe.cwd).toBe('/tmp');
    }
  }, 40_000);

  test('the daemon gets exactly its groups, the environment file over the spec, its credential; restart: no keeps it down', async () => {
    await waitFor('the daemon run', async () => (await probes('daemon')).length >= 1);
    const ids = (await sh('id -u daemon; getent group pvpn-e2e-main | cut -d: -f3; getent group pvpn-e2e-extra | cut -d: -f3')).stdout.trim().split('\n').map(Number);
    const [probe] = await probes('daemon');
    expect([probe?.uid, probe?.gid]).toEqual([ids[0], ids[1]]);
    expect(probe?.groups).toEqual([ids[1], ids[2]].sort((a, b) => (a as number) - (b as number)));
    expect(probe?.env).toMatchObject({ FROM_SPEC: 'spec', OVERRIDDEN: 'file', FROM_FILE: '  spaced  ', CREDENTIALS_DIRECTORY: '/run/pvpn-gen/credentials/e2e-daemon' });
    expect((await sh('cat /tmp/probe-out/token')).stdout).toBe('s3cret\n');
    // it exited 0 and finish said no restart (125): down for good, and only one run
    await waitInside(m, 's6-svstat -o up,wantedup /run/service/e2e-daemon-srv | grep -x "false false"');
    await sleep(2000);
    expect(await probes('daemon')).toHaveLength(1);
    // what root handed it is gone once it stopped
    expect((await sh('ls -A /run/pvpn-gen/credentials /run/pvpn-gen/environment')).stdout).not.toContain('e2e-daemon');
    expect((await pvpn('status', 'e2e-daemon')).stdout).toMatch(/e2e-daemon \(daemon, s6\): enabled, stopped/);
  }, 40_000);

  test('status shows the runs, skipped runs, and the next run', async () => {
    const r = await pvpn('status', '--json', 'e2e-job');
    expect(r.code).toBe(0);
    const [status] = (JSON.parse(r.stdout) as { services: Array<Record<string, unknown> & { lastRun: { outcome: string; status: number } }> }).services;
    expect(status).toMatchObject({ name: 'e2e-job', target: 's6', kind: 'periodic', enabled: true });
    expect(['waiting', 'running']).toContain(status?.state);
    expect(status?.lastRun).toMatchObject({ outcome: 'success', status: 0 });
    expect((await sh('grep -c "run skipped" /var/lib/pvpn-gen/runs/e2e-job')).stdout.trim()).not.toBe('0');
    expect(typeof status?.nextRun).toBe('string');
    expect((await pvpn('status')).stdout).toMatch(/e2e-job \(periodic, s6\): enabled, (waiting|running)/);
  }, 40_000);

  test('run-now runs a job outside its schedule, as its user', async () => {
    expect(await probes('manual')).toEqual([]);
    const r = await pvpn('run-now', 'e2e-manual');
    expect(r.code).toBe(0);
    await waitFor('the manual run', async () => (await probes('manual')).length === 1);
    const uid = Number((await sh('id -u pvpn-e2e')).stdout.trim());
    expect((await probes('manual'))[0]?.uid).toBe(uid);
  }, 40_000);

  test('a failed run runs the onFailure hook with the MONITOR_* variables, and status says it failed', async () => {
    await waitFor('the failure hook', async () => (await probes('hook')).length === 1);
    const [hook] = await probes('hook');
    expect(hook?.env).toMatchObject({ MONITOR_UNIT: 'e2e-fail', MONITOR_SERVICE_RESULT: 'exit-code', MONITOR_EXIT_CODE: 'exited', MONITOR_EXIT_STATUS: '1' });
    const [status] = (JSON.parse((await pvpn('status', '--json', 'e2e-fail')).stdout) as { services: Array<{ lastRun: { outcome: string; status: number } }> }).services;
    expect(status?.lastRun).toMatchObject({ outcome: 'failed', status: 1 });
  }, 40_000);

  test('stop, start and restart work through pvpn-gen', async () => {
    expect((await pvpn('stop', 'e2e-job')).code).toBe(0);
    expect((await sh('s6-svstat -o up,wantedup /run/service/e2e-job-srv')).stdout).toBe('false false\n');
    expect((await pvpn('status', 'e2e-job')).stdout).toMatch(/e2e-job \(periodic, s6\): enabled, stopped/);
    const stoppedAt = (await probes('job')).length;
    await sleep(2500);
    expect((await probes('job')).length).toBe(stoppedAt);
    expect((await pvpn('start', 'e2e-job')).code).toBe(0);
    await waitFor('runs after start', async () => (await probes('job')).length > stoppedAt);
    const pid = async () => (await sh('s6-svstat -o pid /run/service/e2e-job-srv')).stdout.trim();
    const first = await pid();
    expect((await pvpn('restart', 'e2e-job')).code).toBe(0);
    await waitFor('the restarted run process', async () => {
      const now = await pid();
      return now !== first && now !== '-1';
    });
  }, 60_000);

  test('a running daemon restarted (TERM, then up) comes back and stays up, through pvpn-gen and s6-svc -r', async () => {
    const pid = async () => (await sh('s6-svstat -o pid /run/service/e2e-sleeper-srv')).stdout.trim();
    await waitFor('the daemon', async () => (await pid()) !== '-1');
    for (const restart of [() => pvpn('restart', 'e2e-sleeper'), () => sh('s6-svc -r /run/service/e2e-sleeper-srv')]) {
      const before = await pid();
      expect((await restart()).code).toBe(0);
      await waitFor('a new daemon', async () => ![before, '-1'].includes(await pid()));
      await sleep(2500);
      expect((await sh('s6-svstat -o up,wantedup /run/service/e2e-sleeper-srv')).stdout).toBe('true true\n');
    }
  }, 60_000);

  test('s6-log writes the log as its user and rotates it, keeping 3 files; logs shows its end', async () => {
    await waitInside(m, 'ls /var/log/e2e-job | grep -q "^@"', 40);
    expect((await sh('stat -c %U:%a /var/log/e2e-job')).stdout).toBe('_s6-log:750\n');
    const archives = (await sh('ls /var/log/e2e-job')).stdout.split('\n').filter((f) => f.startsWith('@'));
    expect(archives.length).toBeGreaterThanOrEqual(1);
    expect(archives.length).toBeLessThanOrEqual(3);
    const logs = await pvpn('logs', 'e2e-job', '-n', '5');
    expect(logs.code).toBe(0);
    const shown = logs.stdout.trim().split('\n');
    expect(shown.length).toBeGreaterThanOrEqual(1);
    expect(shown.length).toBeLessThanOrEqual(5);
    for (const line of shown) expect(line).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{9} {2}/);
  }, 60_000);

  test('a second install changes nothing', async () => {
    const r = await pvpn('install', '--target', 's6', '--yes');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/up to date: nothing to install/);
  }, 90_000);

  test('uninstall brings everything down and leaves the machine as before', async () => {
    const r = await pvpn('uninstall', '--yes');
    expect(r.stderr).not.toContain('error');
    expect(r.code).toBe(0);
    // the job's working directory, which the script made as systemd makes StateDirectory=, keeps its data
    expect((await snapshot()).split('\n').filter((l) => l !== 'pvpn-e2e')).toEqual(before.split('\n'));
    const ps = (await sh('ps -eo comm= | sort')).stdout.trim().split('\n');
    expect(ps.filter((c) => !['s6-svscan', 's6-supervise', 's6-fdholderd', 'sh', 'ps', 'sort'].includes(c))).toEqual([]);
    expect((await sh('ps -eo user= | sort -u')).stdout).toBe('root\n');
  }, 90_000);
});

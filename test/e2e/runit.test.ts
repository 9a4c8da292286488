/**
 * runit end to end: `pvpn-gen install` into a machine whose PID 1 is the real runsvdir (test/harness/
 * runit-sandbox.sh), laid out like Void and like Artix. The job runs repeatedly with exactly its argv,
 * environment and user; a failing precondition skips runs and logs it; stop/start/restart/run-now work through
 * pvpn-gen and sv; svlogd writes and rotates the log at the configured size; status shows the runs; uninstall
 * stops and removes everything and leaves no process.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { bootRunit, type RunitSandbox } from '../harness/runit-sandbox.js';
import { REPO } from '../support/paths.js';
import { runitCommands, sleep, waitUntil as waitFor } from './runit-helpers.js';

const PROBE = `#!/usr/bin/python3
# writes what it was started with (argv, environment, ids) as JSON, and some log volume for svlogd
# the environment as exec'd (/proc/self/environ): python itself may add LC_CTYPE to os.environ (PEP 538)
import json, os, sys, time
environ = dict(kv.split("=", 1) for kv in open("/proc/self/environ").read().split("\\0") if kv)
record = {"argv": sys.argv, "env": environ, "uid": os.getuid(), "gid": os.getgid(), "cwd": os.getcwd()}
with open("/tmp/probe-out/%d-%d.json" % (time.time_ns(), os.getpid()), "w") as f:
    json.dump(record, f)
print("probe ran " + "x" * 400)
`;

const SPEC = `version: 1
services:
  e2e-job:
    description: periodic probe
    command: [/usr/local/bin/pvpn-probe, "first arg", "$HOME", "it's", ""]
    precondition: [/usr/bin/test, -e, /tmp/go]
    interval: 1s
    user: daemon
    workingDirectory: /tmp
    environment: { GREETING: "hello world", QUOTED: "a'b\\"c $X" }
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
`;


describe.each([
  ['void', '/var/service', '/etc/sv'],
  ['artix', '/run/runit/service', '/etc/runit/sv'],
] as const)('runit, %s layout', (layout, scanDir, serviceDir) => {
  let box: RunitSandbox;
  const { sh, pvpn } = runitCommands(() => box);
  const probes = async (filter = '') => {
    const r = await sh(`for f in /tmp/probe-out/*.json; do [ -e "$f" ] && cat "$f" && echo; done`);
    return r.stdout
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { argv: string[]; env: Record<string, string>; uid: number; gid: number; cwd: string })
      .filter((p) => (filter ? p.argv[1] === filter : p.argv[1] !== 'manual' && p.argv[1] !== 'hook'));
  };

  beforeAll(async () => {
    box = bootRunit(scanDir, [REPO]);
    await sh('cat > /usr/local/bin/pvpn-probe && chmod 755 /usr/local/bin/pvpn-probe', PROBE);
    await sh('mkdir -p /tmp/probe-out && chmod 1777 /tmp/probe-out && mkdir -p /root/e2e && cat > /root/e2e/pvpn-gen.yaml', SPEC);
  }, 60_000);
  afterAll(() => box?.stop());

  test('before the install, the user of e2e-manual does not exist (install creates it)', async () => {
    expect((await sh('getent passwd pvpn-e2e')).code).not.toBe(0);
  });

  test('install starts both services under runsv', async () => {
    const r = await pvpn('--spec', '/root/e2e/pvpn-gen.yaml', 'install', '--target', 'runit', '--layout', layout, '--yes');
    expect(r.stderr).not.toContain('error');
    expect(r.code).toBe(0);
    const status = await sh(`sv status ${serviceDir}/e2e-job ${serviceDir}/e2e-job/log`);
    expect(status.stdout).toMatch(new RegExp(`^run: ${serviceDir}/e2e-job: \\(pid \\d+\\)`, 'm'));
    expect(status.stdout).toMatch(/^run: .*e2e-job\/log: \(pid \d+\)/m);
    const user = (await sh('getent passwd pvpn-e2e')).stdout;
    expect(user).toMatch(/^pvpn-e2e:x:\d+:\d+::\/var\/lib\/pvpn-e2e:\/usr\/sbin\/nologin$/m);
    await waitFor('the state directory', async () => (await sh('stat -c %U:%a /var/lib/pvpn-e2e')).stdout.trim() === 'pvpn-e2e:700');
  }, 60_000);

  test('while the precondition fails, runs are skipped and logged', async () => {
    await waitFor('a skipped run in the log', async () => (await sh('cat /var/log/e2e-job/current')).stdout.includes('pvpn-gen: run skipped precondition-status=1'));
    expect(await probes()).toEqual([]);
  }, 30_000);

  test('the job runs repeatedly with exactly its argv, environment and user', async () => {
    await sh('touch /tmp/go');
    await waitFor('three runs', async () => (await probes()).length >= 3);
    const daemon = (await sh('id -u daemon; id -g daemon')).stdout.trim().split('\n').map(Number);
    for (const probe of await probes()) {
      expect(probe.argv).toEqual(['/usr/local/bin/pvpn-probe', 'first arg', '$HOME', "it's", '']);
      expect(probe.env).toEqual({
        PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
        USER: 'daemon',
        LOGNAME: 'daemon',
        HOME: '/usr/sbin',
        GREETING: 'hello world',
        QUOTED: 'a\'b"c $X',
      });
      expect([probe.uid, probe.gid]).toEqual(daemon);
      expect(probe.cwd).toBe('/tmp');
    }
  }, 30_000);

  test('status shows the runs, skipped runs, and the next run', async () => {
    const r = await pvpn('status', '--json', 'e2e-job');
    expect(r.code).toBe(0);
    const [status] = (JSON.parse(r.stdout) as { services: Array<Record<string, unknown> & { lastRun: { outcome: string; status: number }; runs: unknown[] }> }).services;
    expect(status).toMatchObject({ name: 'e2e-job', target: 'runit', kind: 'periodic', enabled: true });
    expect(['waiting', 'running']).toContain(status?.state);
    expect(status?.lastRun).toMatchObject({ outcome: 'success', status: 0 });
    // skipped counts among the recent runs only: on a loaded machine the job may have run often enough since `go`
    // to push the skipped runs out of that window; then the record of runs must still hold them
    const recorded = Number((await sh('grep -c "run skipped" /var/lib/pvpn-gen/runs/e2e-job')).stdout.trim());
    expect(Number(status?.skipped) > 0 || recorded > 0, JSON.stringify(status)).toBe(true);
    expect(typeof status?.nextRun).toBe('string');
    const text = await pvpn('status');
    expect(text.stdout).toMatch(/e2e-job \(periodic, runit\): enabled, (waiting|running)/);
    expect(text.stdout).toMatch(/last run: success .* exit 0/);
  }, 30_000);

  test('run-now runs a job outside its schedule', async () => {
    expect(await probes('manual')).toEqual([]);
    const r = await pvpn('run-now', 'e2e-manual');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('e2e-manual: run started');
    await waitFor('the manual run', async () => (await probes('manual')).length === 1, 10_000);
    const uid = Number((await sh('id -u pvpn-e2e')).stdout.trim());
    expect((await probes('manual'))[0]?.uid).toBe(uid);
  }, 30_000);

  test('a failed run runs the onFailure hook with the MONITOR_* variables, and status says it failed', async () => {
    await waitFor('the failure hook', async () => (await probes('hook')).length === 1);
    const [hook] = await probes('hook');
    expect(hook?.env).toMatchObject({ MONITOR_UNIT: 'e2e-fail', MONITOR_SERVICE_RESULT: 'exit-code', MONITOR_EXIT_CODE: 'exited', MONITOR_EXIT_STATUS: '1' });
    const r = await pvpn('status', '--json', 'e2e-fail');
    const [status] = (JSON.parse(r.stdout) as { services: Array<{ lastRun: { outcome: string; status: number } }> }).services;
    expect(status?.lastRun).toMatchObject({ outcome: 'failed', status: 1 });
    expect((await sh('cat /var/log/e2e-fail/current')).stdout).toMatch(/pvpn-gen: run failed status=1 [\s\S]*pvpn-gen: failure hook finished status=0/);
  }, 30_000);

  test('stop, start and restart work through pvpn-gen', async () => {
    expect((await pvpn('stop', 'e2e-job')).code).toBe(0);
    expect((await sh(`sv status ${serviceDir}/e2e-job`)).stdout).toMatch(/^down: /);
    const stoppedAt = (await probes()).length;
    await sleep(2500);
    expect((await probes()).length).toBe(stoppedAt);
    expect((await pvpn('start', 'e2e-job')).code).toBe(0);
    await waitFor('runs after start', async () => (await probes()).length > stoppedAt);
    const before = (await sh(`sv status ${serviceDir}/e2e-job`)).stdout;
    expect((await pvpn('restart', 'e2e-job')).code).toBe(0);
    // runsv keeps at least a second between two starts, so the new run process may come a moment later
    const pidOf = (text: string) => text.match(/^run: [^;]*?\(pid (\d+)\)/)?.[1];
    await waitFor('the restarted run process', async () => {
      const after = pidOf((await sh(`sv status ${serviceDir}/e2e-job`)).stdout);
      return after !== undefined && after !== pidOf(before);
    }, 5000);
  }, 30_000);

  test('svlogd writes the log and rotates it at the configured size, keeping 3 files', async () => {
    await waitFor('a rotated log file', async () => (await sh('ls /var/log/e2e-job')).stdout.includes('@'), 30_000);
    const files = (await sh('ls /var/log/e2e-job')).stdout.split('\n').filter((f) => f.startsWith('@'));
    expect(files.length).toBeGreaterThanOrEqual(1);
    expect(files.length).toBeLessThanOrEqual(3);
    const sizes = (await sh('wc -c /var/log/e2e-job/@*')).stdout;
    for (const line of sizes.trim().split('\n').slice(0, files.length)) expect(Number(line.trim().split(' ')[0])).toBeLessThanOrEqual(4096);
    // `current` is empty for a moment right after a rotation: wait for its first line
    const stamped = /^\d{4}-\d{2}-\d{2}_\d{2}:\d{2}:\d{2}\.\d+ pvpn-gen: /m;
    await waitFor('a timestamped line in current', async () => stamped.test((await sh('cat /var/log/e2e-job/current')).stdout), 10_000);
    const logs = await pvpn('logs', 'e2e-job', '-n', '5');
    expect(logs.code).toBe(0);
    // at most the last 5 lines of `current` (fewer just after a rotation)
    const shown = logs.stdout.trim().split('\n');
    expect(shown.length).toBeGreaterThanOrEqual(1);
    expect(shown.length).toBeLessThanOrEqual(5);
    for (const line of shown) expect(line).toMatch(/^\d{4}-\d{2}-\d{2}_\d{2}:\d{2}:\d{2}\.\d+ /);
  }, 40_000);

  test('uninstall stops and removes everything; no process is left', async () => {
    const r = await pvpn('uninstall', '--yes');
    expect(r.stderr).not.toContain('error');
    expect(r.code).toBe(0);
    expect((await sh(`ls -A ${serviceDir} ${scanDir}/`)).stdout.replace(/.*:\n/g, '').trim()).toBe('');
    // a runsv that has exited stays a zombie until runsvdir's next scan reaps it: it is not running
    const ps = (await sh('ps -eo stat=,comm=')).stdout.trim().split('\n').filter((l) => !l.trim().startsWith('Z')).map((l) => l.trim().split(/\s+/)[1]).sort();
    expect(ps).toEqual(['ps', 'runsvdir', 'sh'].sort());
    expect((await sh('ls -A /var/lib/pvpn-gen 2>&1')).stdout).toMatch(/No such file/);
    // the user pvpn-gen created is gone again; `daemon`, which was there before, stays
    expect((await sh('getent passwd pvpn-e2e')).code).not.toBe(0);
    expect((await sh('getent passwd daemon')).code).toBe(0);
  }, 120_000);
});

// End to end on a real systemd 252 (PID 1 of a throwaway sandbox): `pvpn-gen install` run inside it as an admin
// would, then the jobs really run (probe.py records how), then status/logs/run-now/stop/start/uninstall.
// One sandbox for the whole file; the tests run in order and build on each other.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dump as stringify } from 'js-yaml';
import { OPT, PROBE, PYTHON, bootE2E, probeJob, records, show, status, waitFor, type E2E, type ProbeRecord } from './helpers.js';

const SPEC = `${OPT}/spec.yaml`;
const UNIT_DIR = '/etc/systemd/system';

/** argv and environment values that a sloppy unit writer would mangle (systemd expands %, $ and \ in units) */
const TICK_ARGS = ['record', 'two words', '$HOME', '${USER}', '%n %% %i', 'say "hi"', 'back\\slash', ';', '-', '', 'ünï ☃'];
const TICK_ENV = { PROBE_OUT: '/var/lib/tick', GREETING: 'hello world', TRICKY: '$HOME %n "q" \\ \'s\'', NUMBER: 42 };

const spec = {
  version: 1,
  project: 'e2e',
  services: {
    // every 2 s, as daemon, only when /var/lib/tick/go exists
    tick: {
      description: 'e2e tick probe',
      command: [PYTHON, PROBE, ...TICK_ARGS],
      precondition: ['/usr/bin/test', '-e', '/var/lib/tick/go'],
      interval: '2s',
      user: 'daemon',
      workingDirectory: '/var/lib/tick',
      environment: TICK_ENV,
    },
    // runs once at install: touches 256 MiB under a 64 MiB limit; its failure hook records MONITOR_*
    hog: probeJob('hog', 'hog', {
      description: 'e2e memory hog',
      onFailure: [PYTHON, PROBE, 'hook'],
      interval: '1h',
      environment: { PROBE_MIB: 256 },
      limits: { memory: '64M' },
    }),
    // runs once at install: a 2 s busy loop under a 20 % CPU quota
    spin: probeJob('spin', 'spin', { description: 'e2e cpu spinner', interval: '1h', environment: { PROBE_SECONDS: 2 }, limits: { cpu: '20%' } }),
    // first run an hour after boot: only run-now makes it run during the test
    later: probeJob('later', 'record', { description: 'e2e run-now probe', interval: '1h', onBoot: '1h' }),
  },
};

const UNIT_FILES = [
  'tick.service', 'tick.timer', 'hog.service', 'hog.timer', 'hog-failure.service',
  'spin.service', 'spin.timer', 'later.service', 'later.timer',
  'timers.target.wants/tick.timer', 'timers.target.wants/hog.timer', 'timers.target.wants/spin.timer', 'timers.target.wants/later.timer',
].map((f) => `${UNIT_DIR}/${f}`);

const DAEMON_UID = 1; // `daemon` on Debian, on the host and so in the sandbox

describe('pvpn-gen on a live systemd', () => {
  let e2e: E2E;
  let unitFilesBefore = '';
  const timings: string[] = [];
  let t0 = Date.now();
  const lap = (what: string) => {
    timings.push(`${what}: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    t0 = Date.now();
  };

  beforeAll(async () => {
    t0 = Date.now();
    e2e = await bootE2E({ 'spec.yaml': stringify(spec) });
    lap('boot');
    const listed = await e2e.sb.exec(['systemctl', 'list-unit-files', '--no-legend']);
    expect(listed.code, show(listed)).toBe(0);
    unitFilesBefore = listed.stdout;
  });
  afterAll(async () => {
    await e2e?.stop();
    console.log(`systemd e2e timings:\n  ${timings.join('\n  ')}`);
  });

  it('installs: unit files, enable links and manifest written, daemon reloaded, timers started', async () => {
    const r = await e2e.pvpn(['--spec', SPEC, 'install', '--target', 'systemd', '--yes']);
    expect(r.code, show(r)).toBe(0);
    expect(r.stdout).toContain('systemctl daemon-reload');
    const files = await e2e.sh(`ls -d ${UNIT_FILES.join(' ')} && ls /var/lib/pvpn-gen`);
    expect(files.code, show(files)).toBe(0);
    const active = await e2e.sb.exec(['systemctl', 'is-active', 'tick.timer', 'hog.timer', 'spin.timer', 'later.timer']);
    expect(active.stdout.split('\n').filter(Boolean), show(active)).toEqual(['active', 'active', 'active', 'active']);
    const enabled = await e2e.sb.exec(['systemctl', 'is-enabled', 'tick.timer', 'later.timer']);
    expect(enabled.stdout.split('\n').filter(Boolean), show(enabled)).toEqual(['enabled', 'enabled']);
    lap('install');
  });

  it('skips runs while the precondition fails (ExecCondition), and status counts them', async () => {
    const skipped = await waitFor('two skipped runs of tick', async () => {
      const s = await status(e2e, 'tick');
      return s.skipped >= 2 ? s : undefined;
    });
    // the timer fires every 2 s: the newest run may be under way (its condition not yet checked) when status looks
    const ended = skipped.runs.filter((run) => run.outcome !== 'running');
    expect(ended.every((run) => run.outcome === 'skipped' && run.detail === 'precondition not met'), JSON.stringify(skipped)).toBe(true);
    expect(['skipped', 'running']).toContain(skipped.lastRun?.outcome);
    expect(await records(e2e, '/var/lib/tick', 'record')).toEqual([]); // the job itself never ran
    const journal = await e2e.sb.exec(['journalctl', '-u', 'tick.service', '--no-pager']);
    expect(journal.stdout).toContain("tick.service: Skipped due to 'exec-condition'.");
    lap('skipped runs');
  });

  it('once the precondition holds, the timer runs the job again and again, as its user, with its exact argv and environment', async () => {
    const go = await e2e.sh('mkdir -p /var/lib/tick && touch /var/lib/tick/go');
    expect(go.code, show(go)).toBe(0);
    const runs = await waitFor('three runs of tick', async () => {
      const found = await records(e2e, '/var/lib/tick', 'record');
      return found.length >= 3 ? found : undefined;
    }, 30_000);
    for (const run of runs) {
      expect(run.argv).toEqual([PYTHON, PROBE, ...TICK_ARGS]);
      expect(run.uid).toBe(DAEMON_UID);
      expect(run.gid).toBe(DAEMON_UID);
      expect(run.cwd).toBe('/var/lib/tick');
      expect(run.env).toMatchObject({ ...TICK_ENV, NUMBER: '42', USER: 'daemon', TRIGGER_UNIT: 'tick.timer' });
    }
    // every 2 s (OnUnitActiveSec=2s, AccuracySec=1s): consecutive runs 1.5..6 s apart
    const gaps = runs.slice(1).map((run, i) => run.started - (runs[i] as ProbeRecord).started);
    for (const gap of gaps) {
      expect(gap).toBeGreaterThan(1.5);
      expect(gap).toBeLessThan(6);
    }
    // between two runs (a run takes ~0.1 s of every ~3 s), status shows the last run and when the next one is
    const s = await waitFor('tick waiting for its next run', async () => {
      const got = await status(e2e, 'tick');
      // the timer's state and the journal's runs are two reads: wait for a moment when both say "between runs"
      return got.state === 'waiting' && got.nextRun !== undefined && got.lastRun?.outcome !== 'running' ? got : undefined;
    }, 10_000, 100);
    expect(s).toMatchObject({ kind: 'periodic', target: 'systemd', enabled: true });
    expect(s.lastRun, JSON.stringify(s)).toMatchObject({ outcome: 'success', status: 0 });
    expect(s.skipped).toBeGreaterThanOrEqual(1); // the runs before `go` existed (of the last 10)
    expect(s.skipped).toBe(s.runs.filter((run) => run.outcome === 'skipped').length);
    expect(s.nextRun, JSON.stringify(s)).toBeDefined();
    const next = Date.parse(s.nextRun ?? '') - Date.parse(s.lastRun?.started ?? '');
    expect(next).toBeGreaterThan(1_000);
    expect(next).toBeLessThan(10_000);
    const text = await e2e.pvpn(['status', 'tick']);
    expect(text.stdout).toMatch(/^tick \(periodic, systemd\): enabled, (waiting|running)/m);
    expect(text.stdout).toMatch(/^ {2}last run: (success .*, exit 0|running .*)$/m);
    lap('repeated runs');
  });

  it('limits.memory: a job touching 256 MiB under memory: 64M is killed, status says so, and the onFailure hook runs with MONITOR_*', async () => {
    const limit = await waitFor('the hog to start', async () => {
      const r = await e2e.sh('cat /var/lib/hog/hog-limit-*');
      return r.code === 0 && r.stdout ? r.stdout : undefined;
    });
    expect(limit).toBe(String(64 * 1024 * 1024)); // MemoryMax=64M is the cgroup's limit
    const hook = await waitFor('the failure hook', async () => (await records(e2e, '/var/lib/hog', 'hook'))[0]);
    expect(await records(e2e, '/var/lib/hog', 'hog')).toEqual([]); // never got to record its run
    expect(hook.argv).toEqual([PYTHON, PROBE, 'hook']);
    expect(hook.uid).toBe(DAEMON_UID);
    expect(hook.env).toMatchObject({ MONITOR_UNIT: 'hog.service', MONITOR_EXIT_CODE: 'killed', MONITOR_EXIT_STATUS: 'KILL' });
    // cgroup v1 reports no OOM event to systemd, so the result is 'signal' here ('oom-kill' on cgroup v2)
    expect(['signal', 'oom-kill']).toContain(hook.env.MONITOR_SERVICE_RESULT);
    expect(hook.env.MONITOR_INVOCATION_ID).toMatch(/^[0-9a-f]{32}$/);
    const s = await status(e2e, 'hog');
    expect(s.state).toBe('waiting'); // a periodic job is between runs; the failure is its last run
    expect(s.lastRun, JSON.stringify(s)).toMatchObject({ outcome: 'failed', detail: 'killed by SIGKILL' });
    expect(s.lastRun?.status).toBeUndefined(); // not "exit 9": 9 is the signal
    const failure = await e2e.sb.exec(['systemctl', 'show', '-P', 'Result', 'hog-failure.service']);
    expect(failure.stdout.trim()).toBe('success');
    lap('memory limit + failure hook');
  });

  it('limits.cpu: CPUQuota=20% throttles a 2 s busy loop to well under 2 s of CPU time', async () => {
    const [spin] = await waitFor('the spinner', async () => {
      const found = await records(e2e, '/var/lib/spin', 'spin');
      return found.length > 0 ? found : undefined;
    });
    const shown = await e2e.sb.exec(['systemctl', 'show', '-P', 'CPUQuotaPerSecUSec', 'spin.service']);
    expect(shown.stdout.trim()).toBe('200ms');
    expect(spin).toBeDefined();
    const record = spin as ProbeRecord & { cpu_seconds: number; cfs_quota_us: string; cfs_period_us: string; cpu_stat: string };
    expect(record.cfs_quota_us).toBe('20000');
    expect(record.cfs_period_us).toBe('100000');
    // throttled, unless a loaded machine gave the loop less than its quota anyway (then the quota never bit): seen
    // at a load of 40, 0.3+ s of CPU spread over 37 periods of 100 ms, under 20 ms in each, nr_throttled 0
    const periods = Number(/nr_periods (\d+)/.exec(record.cpu_stat)?.[1]);
    if (record.cpu_seconds >= 0.9 * 0.02 * periods) expect(Number(/nr_throttled (\d+)/.exec(record.cpu_stat)?.[1]), record.cpu_stat).toBeGreaterThan(0);
    expect(record.cpu_seconds).toBeGreaterThan(0.05);
    expect(record.cpu_seconds).toBeLessThan(0.9); // ~0.4 s expected; unthrottled it would be ~2 s
    timings.push(`spin: ${record.cpu_seconds.toFixed(2)} s of CPU in 2 s under CPUQuota=20%`);
    expect((await status(e2e, 'spin')).lastRun).toMatchObject({ outcome: 'success', status: 0 });
  });

  it('run-now runs a job at once, outside its schedule', async () => {
    const before = await status(e2e, 'later');
    expect(before.lastRun).toBeUndefined();
    expect(Date.parse(before.nextRun ?? '') - Date.now()).toBeGreaterThan(30 * 60_000); // onBoot: 1h
    expect(await records(e2e, '/var/lib/later', 'record')).toEqual([]);
    const asked = Date.now() / 1000;
    const r = await e2e.pvpn(['run-now', 'later']);
    expect(r.code, show(r)).toBe(0);
    expect(r.stdout).toContain('later: run started');
    const [run] = await waitFor('the run-now run', async () => {
      const found = await records(e2e, '/var/lib/later', 'record');
      return found.length > 0 ? found : undefined;
    }, 10_000);
    expect((run as ProbeRecord).started - asked).toBeLessThan(5);
    const after = await waitFor('status to show the run', async () => {
      const s = await status(e2e, 'later');
      return s.lastRun?.outcome === 'success' ? s : undefined;
    });
    expect(after.lastRun?.status).toBe(0);
    lap('run-now');
  });

  it('logs NAME -n 20 prints the last lines of the job and of systemd about it', async () => {
    const r = await e2e.pvpn(['logs', 'tick', '-n', '20']);
    expect(r.code, show(r)).toBe(0);
    const lines = r.stdout.split('\n').filter((l) => l && !l.startsWith('-- '));
    expect(lines.length).toBeGreaterThan(3);
    expect(lines.length).toBeLessThanOrEqual(20);
    expect(r.stdout).toContain('probe: record run recorded in /var/lib/tick/'); // the job's own output
    expect(r.stdout).toMatch(/systemd\[1\]: (Starting|Finished) tick\.service/);
  });

  it('stop stops the timer (no more runs); start resumes the schedule', async () => {
    // Stop between two runs: stopping a run in progress makes systemd fail the oneshot (SIGTERM is not a clean
    // end for Type=oneshot) and fire its OnFailure= hook, a known pvpn-gen problem this test does not cover.
    const seen = (await records(e2e, '/var/lib/tick', 'record')).length;
    await waitFor('a run of tick to end', async () => {
      if ((await records(e2e, '/var/lib/tick', 'record')).length <= seen) return undefined;
      const job = await e2e.sb.exec(['systemctl', 'is-active', 'tick.service']);
      return job.stdout.trim() === 'inactive' ? true : undefined;
    }, 10_000, 50);
    const stopped = await e2e.pvpn(['stop', 'tick']);
    expect(stopped.code, show(stopped)).toBe(0);
    expect((await e2e.sb.exec(['systemctl', 'is-active', 'tick.timer'])).stdout.trim()).toBe('inactive');
    const s = await status(e2e, 'tick');
    const journal = await e2e.sb.exec(['journalctl', '-u', 'tick.service', '-u', 'tick.timer', '-n', '15', '--no-pager', '-o', 'short-precise']);
    expect(s.state, `${JSON.stringify(s)}\n${journal.stdout}`).toBe('stopped');
    expect(s.nextRun).toBeUndefined();
    const count = (await records(e2e, '/var/lib/tick', 'record')).length;
    await new Promise((r) => setTimeout(r, 6_000)); // two intervals and more
    expect((await records(e2e, '/var/lib/tick', 'record')).length).toBe(count);

    const started = await e2e.pvpn(['start', 'tick']);
    expect(started.code, show(started)).toBe(0);
    expect((await e2e.sb.exec(['systemctl', 'is-active', 'tick.timer'])).stdout.trim()).toBe('active');
    await waitFor('a run after start', async () => {
      const n = (await records(e2e, '/var/lib/tick', 'record')).length;
      return n > count ? n : undefined;
    }, 10_000);
    const resumed = await status(e2e, 'tick');
    expect(['waiting', 'running']).toContain(resumed.state);
    lap('stop/start');
  });

  it('uninstall --yes removes every file and leaves list-unit-files exactly as before the install', async () => {
    const r = await e2e.pvpn(['uninstall', '--yes']);
    expect(r.code, show(r)).toBe(0);
    const listed = await e2e.sb.exec(['systemctl', 'list-unit-files', '--no-legend']);
    expect(listed.stdout).toBe(unitFilesBefore);
    const left = await e2e.sh(`for f in ${UNIT_FILES.join(' ')}; do [ -e "$f" ] || [ -L "$f" ] && echo "$f"; done; ls -A /var/lib/pvpn-gen 2>/dev/null; true`);
    expect(left.stdout).toBe('');
    const timers = await e2e.sb.exec(['systemctl', 'list-timers', '--all', '--no-legend']);
    expect(timers.stdout).not.toMatch(/\b(tick|hog|spin|later)\.timer\b/);
    const active = await e2e.sb.exec(['systemctl', 'list-units', '--state=active', '--no-legend', 'tick*', 'hog*', 'spin*', 'later*']);
    expect(active.stdout.trim()).toBe('');
    lap('uninstall');
  });
});

// The OpenRC machine with hand-written init scripts: what an OpenRC target must produce, proven on the real OpenRC
// 0.63 (openrc-init as PID 1, openrc-run + supervise-daemon): supervision, output_log, status and its exit codes,
// one-shots, runlevels, user/limits/nice, and the quoting through openrc-run's eval, with the probe.
import fc from 'fast-check';
import { readlinkSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROBE_SHM_RECORD, environMap } from '../support/probe.js';
import { everyTokenCase, hostileCase, specEnvironment, type HostileCase } from '../support/hostile.js';
import { INITS_PREFIX, type InitMachine } from './init-machine.js';
import { openrcIndirect, shArg } from './inits-quoting.js';
import { MACHINE_PROBE, expectCleanStop, installProbe, readProbe, resetProbe, waitInside } from './inits-support.js';
import { bootOpenrc } from './openrc-sandbox.js';

/** What supervise-daemon does to the environment it passes on (see inits-facts.md). */
function seenBySupervised(name: string, value: string): string | undefined {
  if (/^(RC_|SSD_|EINFO_)/.test(name) || name === 'SVCNAME') return undefined;
  if (name !== 'PATH') return value;
  // split at runs of ':', empty entries and OpenRC's own bin directories dropped; a leading ':' empties it all
  if (value.startsWith(':')) return '';
  const dropped = new Set([`${INITS_PREFIX}/libexec/rc/bin`, `${INITS_PREFIX}/libexec/rc/sbin`]);
  return value.split(/:+/).filter((p) => p !== '' && !dropped.has(p)).join(':');
}

describe('OpenRC machine (openrc-init 0.63 as PID 1, supervise-daemon)', () => {
  let m: InitMachine;
  let ns: string;
  /** an init script (0755) and the deptree refreshed: OpenRC compares mtimes in whole seconds (see the facts) */
  async function script(name: string, text: string, conf?: string): Promise<void> {
    m.writeFile(`/etc/init.d/${name}`, text, 0o755);
    if (conf !== undefined) m.writeFile(`/etc/conf.d/${name}`, conf);
    expect((await m.exec(['rc-update', '-u'])).code).toBe(0);
  }
  const status = (name: string) => m.exec(['rc-service', name, 'status']);
  /** The probe ran as the service's daemon: stop the service, then read its record. Not "wait until supervise-daemon
   * gives up": a child that exits before the supervisor enters its loop can go unnoticed (see the facts). */
  async function probeRun(name: string) {
    await waitInside(m, `test -s ${PROBE_SHM_RECORD}`);
    await m.exec(['rc-service', name, 'stop']);
    await m.exec(['rc-service', name, 'zap']);
    return readProbe(m);
  }

  beforeAll(async () => {
    m = await bootOpenrc();
    ns = readlinkSync(`/proc/${m.pid}/ns/pid`);
    installProbe(m);
  });
  afterAll(async () => {
    await m?.stop();
  });

  it('supervises a daemon: started, output_log written, respawned when killed, stopped; status exit codes', async () => {
    await script('pvpn-daemon', [
      '#!/usr/bin/openrc-run',
      'description="pvpn test daemon"',
      'supervisor=supervise-daemon',
      'command=/bin/sh',
      `pvpn_script=${shArg('echo "started $$"; echo to-stderr >&2; exec sleep 1000')}`,
      'command_args=\'-c "$pvpn_script"\'',
      'output_log=/var/log/pvpn-daemon.log',
      'error_log=/var/log/pvpn-daemon.log',
      'respawn_delay=1',
      '',
    ].join('\n'));
    expect(await status('pvpn-daemon')).toMatchObject({ code: 3, stdout: ' * status: stopped\n' });
    expect(await m.exec(['rc-service', 'pvpn-daemon', 'start'])).toMatchObject({ code: 0, stdout: ' * Starting pvpn-daemon ... [ ok ]\n' });
    expect(await status('pvpn-daemon')).toMatchObject({ code: 0, stdout: ' * status: started\n' });
    const first = Number(await waitInside(m, 'cat /run/openrc/options/pvpn-daemon/child_pid'));
    expect(await waitInside(m, 'grep -q to-stderr /var/log/pvpn-daemon.log && cat /var/log/pvpn-daemon.log')).toBe(`started ${first}\nto-stderr`);
    expect((await m.sh('stat -c %a /var/log/pvpn-daemon.log; readlink /run/openrc/started/pvpn-daemon')).stdout).toBe('600\n/etc/init.d/pvpn-daemon\n');

    await m.exec(['kill', '-KILL', String(first)]);
    const second = Number(await waitInside(m, `p=$(cat /run/openrc/options/pvpn-daemon/child_pid) && [ "$p" != ${first} ] && kill -0 $p && echo $p`));
    expect(second).toBeGreaterThan(0);
    expect(await status('pvpn-daemon')).toMatchObject({ code: 0 });

    expect(await m.exec(['rc-service', 'pvpn-daemon', 'stop'])).toMatchObject({ code: 0, stdout: ' * Stopping pvpn-daemon ... [ ok ]\n' });
    expect(await status('pvpn-daemon')).toMatchObject({ code: 3, stdout: ' * status: stopped\n' });
    expect((await m.sh('pgrep -x sleep; pgrep -x supervise-daemon')).stdout).toBe('');
  });

  it('gives up on a daemon that keeps dying (respawn_max): stopped, listed as failed; a killed supervisor is "unsupervised"', async () => {
    await script('pvpn-crash', [
      '#!/usr/bin/openrc-run',
      'supervisor=supervise-daemon',
      // not an instant exit: a child that dies before supervise-daemon waits for it can go unnoticed (see the facts)
      'command=/bin/sh',
      'command_args="-c \'sleep 0.2; exit 1\'"',
      'respawn_delay=0',
      'respawn_max=2',
      'respawn_period=60',
      '',
    ].join('\n'));
    expect((await m.exec(['rc-service', 'pvpn-crash', 'start'])).code).toBe(0); // start does not wait for the daemon
    await waitInside(m, 'test -e /run/openrc/failed/pvpn-crash');
    expect(await status('pvpn-crash')).toMatchObject({ code: 3, stdout: ' * status: stopped\n' });
    expect((await m.exec(['rc-status', '-a'])).stdout).toMatch(/ pvpn-crash +\[ failed \]/);
    await m.exec(['rc-service', 'pvpn-crash', 'zap']); // forget the failed mark

    // the supervisor killed: its child runs on, unsupervised, and stop cannot reach it (yet exits 0)
    await script('pvpn-orphan', '#!/usr/bin/openrc-run\nsupervisor=supervise-daemon\ncommand=/bin/sleep\ncommand_args=1002\n');
    await m.exec(['rc-service', 'pvpn-orphan', 'start']);
    await m.sh('kill -KILL $(cat /run/supervise-pvpn-orphan.pid)');
    expect(await waitInside(m, 'rc-service pvpn-orphan status 2>&1; [ $? = 64 ]')).toBe(' * status: unsupervised');
    expect(await m.exec(['rc-service', 'pvpn-orphan', 'stop'])).toMatchObject({ code: 0, stderr: expect.stringContaining('Unable to shut down the supervisor') });
    expect((await m.sh('pgrep -x sleep')).code).toBe(0);
    await m.sh('rc-service pvpn-orphan zap; pkill -x sleep');
  });

  it('runs a one-shot (start() without command): stays "started", runs again on restart; a failure is an error', async () => {
    await script('pvpn-job', '#!/usr/bin/openrc-run\nstart() {\n\tebegin "Running pvpn-job"\n\techo run >> /var/lib/pvpn-job.runs\n\teend $?\n}\n');
    await script('pvpn-job-fails', '#!/usr/bin/openrc-run\nstart() {\n\tebegin "Running pvpn-job-fails"\n\t(exit 7)\n\teend $? "exit status $?"\n}\n');
    expect(await m.exec(['rc-service', 'pvpn-job', 'start'])).toMatchObject({ code: 0, stdout: ' * Running pvpn-job ... [ ok ]\n' });
    expect(await status('pvpn-job')).toMatchObject({ code: 0, stdout: ' * status: started\n' });
    expect((await m.exec(['rc-service', 'pvpn-job', 'start'])).stderr).toBe(' * WARNING: pvpn-job has already been started\n');
    expect(await m.exec(['rc-service', 'pvpn-job', 'restart'])).toMatchObject({ code: 0 }); // run-now
    expect((await m.sh('cat /var/lib/pvpn-job.runs')).stdout).toBe('run\nrun\n');

    const failed = await m.exec(['rc-service', 'pvpn-job-fails', 'start']);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain(' * ERROR: pvpn-job-fails failed to start\n');
    expect(await status('pvpn-job-fails')).toMatchObject({ code: 3 });
  });

  it('enables with rc-update add NAME default (a link in /etc/runlevels/default); entering the runlevel starts it', async () => {
    await script('pvpn-boot', '#!/usr/bin/openrc-run\nsupervisor=supervise-daemon\ncommand=/bin/sleep\ncommand_args=1001\n');
    expect(await m.exec(['rc-update', 'add', 'pvpn-boot', 'default'])).toMatchObject({ code: 0, stdout: ' * service pvpn-boot added to runlevel default\n' });
    expect((await m.sh('readlink /etc/runlevels/default/pvpn-boot')).stdout).toBe('/etc/init.d/pvpn-boot\n');
    expect(await status('pvpn-boot')).toMatchObject({ code: 3 });
    // what boot does (openrc-init runs `openrc default`): every service of the runlevel is started
    expect((await m.exec(['openrc', 'default'])).code).toBe(0);
    expect(await status('pvpn-boot')).toMatchObject({ code: 0 });
    expect((await m.exec(['rc-status', 'default'])).stdout).toMatch(/pvpn-boot +\[ +started/);
    expect(await m.exec(['rc-update', 'del', 'pvpn-boot', 'default'])).toMatchObject({ code: 0, stdout: ' * service pvpn-boot deleted from runlevel default\n' });
    // leaving the runlevel's list does not stop it; entering the runlevel again does
    expect(await status('pvpn-boot')).toMatchObject({ code: 0 });
    await m.exec(['openrc', 'default']);
    expect(await status('pvpn-boot')).toMatchObject({ code: 3 });
  });

  it('sets the user and groups, working directory, umask, ulimits and nice; the log is opened as the user', async () => {
    await m.sh("groupadd pvpnx && usermod -aG pvpnx daemon && mkdir -p '/srv/w d $x'");
    await script(
      'pvpn-limits',
      [
        '#!/usr/bin/openrc-run',
        'supervisor=supervise-daemon',
        'command=/bin/sh',
        `pvpn_script=${shArg('{ id; pwd; ulimit -Sn; ulimit -Hn; nice; umask; }; exec sleep 1000')}`,
        'command_args=\'-c "$pvpn_script"\'',
        'command_user=daemon:daemon',
        `pvpn_directory=${shArg('/srv/w d $x')}`,
        'directory=\'"$pvpn_directory"\'',
        'umask=027',
        'output_log=/var/log/pvpn-limits/out.log',
        // supervise-daemon opens the log after dropping to the user: its directory must be the user's
        'start_pre() { checkpath -d -o daemon:daemon -m 0750 /var/log/pvpn-limits; }',
        '',
      ].join('\n'),
      // rc_ulimit goes to /bin/sh's ulimit (dash here, bash on Artix: -u works only there); SSD_NICELEVEL to supervise-daemon
      'rc_ulimit="-n 100"\nexport SSD_NICELEVEL=5\n',
    );
    expect((await m.exec(['rc-service', 'pvpn-limits', 'start'])).code).toBe(0);
    expect(await waitInside(m, 'grep -q ^0027 /var/log/pvpn-limits/out.log && cat /var/log/pvpn-limits/out.log')).toBe(
      'uid=1(daemon) gid=1(daemon) groups=1(daemon),1001(pvpnx)\n/srv/w d $x\n100\n100\n5\n0027',
    );
    expect((await m.sh('stat -c %U:%a /var/log/pvpn-limits/out.log')).stdout).toBe('daemon:600\n');
    await m.exec(['rc-service', 'pvpn-limits', 'stop']);
  });

  describe('quoting through openrc-run\'s eval, proven with the probe', () => {
    let n = 0;
    /** the probe supervised (respawned after 1 s: stopped before that, its record stays put) */
    async function roundTrip(c: HostileCase): Promise<void> {
      const name = `pvpn-q${++n}`;
      const env = specEnvironment(c.env);
      const command = openrcIndirect('command', [MACHINE_PROBE]);
      const args = openrcIndirect('arg', c.args);
      const envs = openrcIndirect('env', [...env].map(([k, v]) => `${k}=${v}`));
      await script(name, [
        '#!/usr/bin/openrc-run',
        command.assignments + args.assignments + envs.assignments,
        'supervisor=supervise-daemon',
        `command='${command.references}'`,
        `command_args='${args.references}'`,
        `supervise_daemon_args='${envs.references.replace(/"\$/g, '--env "$')}'`,
        'respawn_delay=1',
        '',
      ].join('\n'));
      resetProbe(m);
      expect(await m.exec(['rc-service', name, 'start'])).toMatchObject({ code: 0 });
      const record = await probeRun(name);
      expect(record.argv).toEqual([MACHINE_PROBE, ...c.args]);
      const seen = environMap(record.environ);
      for (const [k, v] of env) expect(seen.get(k), k).toBe(seenBySupervised(k, v));
    }

    it('carries every hostile token through variables that the eval expands', async () => {
      await roundTrip(everyTokenCase());
    });

    it('carries random hostile arguments and values', async () => {
      await fc.assert(fc.asyncProperty(hostileCase(1), roundTrip), { numRuns: 10 });
    });

    it('loses whitespace when the value itself is quoted inside command_args (split, then joined by eval)', async () => {
      await script('pvpn-eval', [
        '#!/usr/bin/openrc-run',
        'supervisor=supervise-daemon',
        `command=${MACHINE_PROBE}`,
        `command_args="'two  spaces' 'tab\tx' 'it'\\''s' '\\$HOME'"`,
        'respawn_delay=1',
        '',
      ].join('\n'));
      resetProbe(m);
      await m.exec(['rc-service', 'pvpn-eval', 'start']);
      expect((await probeRun('pvpn-eval')).argv.slice(1)).toEqual(['two spaces', 'tab x', "it's", '$HOME']);
    });

    it('shares the script\'s variable namespace with openrc-run.sh (a variable named _cmd is overwritten)', async () => {
      await script('pvpn-clash', `#!/usr/bin/openrc-run\nsupervisor=supervise-daemon\n_cmd=${MACHINE_PROBE}\ncommand='"$_cmd"'\n`);
      expect((await m.exec(['rc-service', 'pvpn-clash', 'start'])).code).toBe(0); // starts... nothing
      expect((await m.sh('cat /run/openrc/options/pvpn-clash/exec')).stdout).toBe('');
      await m.exec(['rc-service', 'pvpn-clash', 'zap']);
    });
  });

  it('leaves /run/openrc/softlevel (what tells that OpenRC runs) and openrc-init as PID 1', async () => {
    expect((await m.sh('cat /run/openrc/softlevel; echo; cat /proc/1/comm')).stdout).toBe('default\nopenrc-init\n'); // no newline in softlevel
  });

  it('stops without leaving a process or state behind', async () => {
    await m.exec(['rc-service', 'pvpn-daemon', 'start']);
    await expectCleanStop(m, ns);
  });
});

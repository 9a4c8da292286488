// The dinit machine with hand-written services: what a dinit target must produce, proven on the real dinit 0.22 as
// PID 1 (supervision, logging, status, one-shots, enable/boot, the quoting of `command =` and env-file).
import fc from 'fast-check';
import { readlinkSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { environMap } from '../support/probe.js';
import { everyTokenCase, hostileCase, specEnvironment, type HostileCase } from '../support/hostile.js';
import { bootDinit } from './dinit-sandbox.js';
import type { InitMachine } from './init-machine.js';
import { dinitArg, dinitEnvLine } from './inits-quoting.js';
import { MACHINE_PROBE, expectCleanStop, installProbe, readProbe, resetProbe, waitInside } from './inits-support.js';

const pidOf = (status: string): number => Number(/Process ID: (\d+)/.exec(status)?.[1] ?? NaN);

describe('dinit machine (dinit 0.22 as PID 1)', () => {
  let m: InitMachine;
  let ns: string;
  const service = (name: string, text: string) => m.writeFile(`/etc/dinit.d/${name}`, text);

  beforeAll(async () => {
    m = await bootDinit();
    ns = readlinkSync(`/proc/${m.pid}/ns/pid`);
    installProbe(m);
  });
  afterAll(async () => {
    await m?.stop();
  });

  it('supervises a daemon: started, its output in its logfile, restarted when killed, stopped', async () => {
    // $$ is dinit's literal $: the shell sees $$ (its pid)
    service('pvpn-daemon', [
      'type = process',
      'command = /bin/sh -c "echo started $$$$; echo to-stderr >&2; exec sleep 1000"',
      'logfile = /var/log/dinit/pvpn-daemon.log',
      'restart = true',
      'restart-delay = 0.1',
      '',
    ].join('\n'));
    expect(await m.exec(['dinitctl', 'start', 'pvpn-daemon'])).toMatchObject({ code: 0, stdout: "Service 'pvpn-daemon' started.\n" });
    const status = await m.exec(['dinitctl', 'status', 'pvpn-daemon']);
    expect(status.stdout).toMatch(/^Service: pvpn-daemon\n {4}State: STARTED\n {4}Activation: explicitly started\n {4}Process ID: \d+\n$/);
    const first = pidOf(status.stdout);
    // $(...) in waitInside drops the last newline
    expect(await waitInside(m, 'grep -q to-stderr /var/log/dinit/pvpn-daemon.log && cat /var/log/dinit/pvpn-daemon.log')).toBe(`started ${first}\nto-stderr`);
    expect((await m.sh('stat -c %a:%U /var/log/dinit/pvpn-daemon.log')).stdout).toBe('600:root\n');

    await m.exec(['kill', '-KILL', String(first)]);
    const again = await waitInside(m, `dinitctl status pvpn-daemon | grep -v 'Process ID: ${first}$' | grep 'Process ID'`);
    const second = Number(/\d+/.exec(again)?.[0]);
    expect(second).not.toBe(first);
    expect(await waitInside(m, `grep -c started /var/log/dinit/pvpn-daemon.log | grep -x 2`)).toBe('2');

    expect(await m.exec(['dinitctl', 'stop', 'pvpn-daemon'])).toMatchObject({ code: 0 });
    expect((await m.exec(['dinitctl', 'status', 'pvpn-daemon'])).stdout).toBe('Service: pvpn-daemon\n    State: STOPPED\n');
    expect((await m.exec(['dinitctl', 'is-started', 'pvpn-daemon'])).code).toBe(1);
    expect((await m.sh('pgrep -x sleep')).code).toBe(1); // nothing of it survives the stop
  });

  it('runs a one-shot (scripted): failure and exit status in status, run again by restart', async () => {
    service('pvpn-job', 'type = scripted\ncommand = /bin/sh -c "echo run >> /var/lib/pvpn-job.runs"\nlogfile = /var/log/dinit/pvpn-job.log\n');
    service('pvpn-job-fails', 'type = scripted\ncommand = /bin/sh -c "echo failing; exit 7"\nlogfile = /var/log/dinit/pvpn-job-fails.log\n');
    expect(await m.exec(['dinitctl', 'start', 'pvpn-job'])).toMatchObject({ code: 0 }); // returns when the command is done
    expect((await m.exec(['dinitctl', 'status', 'pvpn-job'])).stdout).toBe('Service: pvpn-job\n    State: STARTED\n    Activation: explicitly started\n');
    // run-now: start is a no-op on a started one-shot, restart runs it again
    expect((await m.exec(['dinitctl', 'start', 'pvpn-job'])).stdout).toBe('Service (already) started.\n');
    expect(await m.exec(['dinitctl', 'restart', 'pvpn-job'])).toMatchObject({ code: 0 });
    expect((await m.sh('cat /var/lib/pvpn-job.runs')).stdout).toBe('run\nrun\n');

    const failed = await m.exec(['dinitctl', 'start', 'pvpn-job-fails']);
    expect(failed).toMatchObject({ code: 1, stdout: "Service 'pvpn-job-fails' failed to start.\nReason: service process terminated before ready: exited - status 7\n" });
    expect((await m.exec(['dinitctl', 'status', 'pvpn-job-fails'])).stdout).toBe('Service: pvpn-job-fails\n    State: STOPPED (failed to start; exited - status 7)\n');
    expect((await m.exec(['dinitctl', 'is-failed', 'pvpn-job-fails'])).code).toBe(0);
    expect((await m.sh('cat /var/log/dinit/pvpn-job-fails.log')).stdout).toBe('failing\n');
    expect((await m.exec(['dinitctl', 'list'])).stdout).toContain('[     {X}] pvpn-job-fails\n');
  });

  it('enables with a link in boot.d, which the boot service starts', async () => {
    service('pvpn-boot', 'type = process\ncommand = /bin/sleep 1001\n');
    expect((await m.exec(['dinitctl', 'enable', 'pvpn-boot'])).stdout).toBe("Service 'pvpn-boot' has been enabled.\nService 'pvpn-boot' started.\n");
    expect((await m.sh('readlink /etc/dinit.d/boot.d/pvpn-boot')).stdout).toBe('../pvpn-boot\n');
    // what a boot does: stopping `boot` stops what only it pulled in, starting it starts everything in boot.d
    await m.exec(['dinitctl', 'stop', 'boot']);
    expect((await m.exec(['dinitctl', 'is-started', 'pvpn-boot'])).stdout).toBe('STOPPED\n');
    await m.exec(['dinitctl', 'start', 'boot']);
    expect((await m.exec(['dinitctl', 'is-started', 'pvpn-boot'])).stdout).toBe('STARTED\n');
    // disable removes the link and stops it (silently) when nothing else wants it
    expect((await m.exec(['dinitctl', 'disable', 'pvpn-boot'])).stdout).toBe("Service 'pvpn-boot' has been disabled.\n");
    expect((await m.exec(['dinitctl', 'is-started', 'pvpn-boot'])).stdout).toBe('STOPPED\n');
    expect((await m.sh('ls -A /etc/dinit.d/boot.d')).stdout).toBe('');
  });

  it('sets the user, working directory, limits and nice of the process', async () => {
    await m.sh("mkdir -p '/srv/w d $x'");
    service('pvpn-limits', [
      'type = scripted',
      'command = /bin/sh -c "id; pwd; ulimit -Sn; ulimit -Hn; nice"',
      'run-as = daemon',
      `working-dir = ${dinitArg('/srv/w d $x')}`,
      'rlimit-nofile = 100:200',
      'nice = 5',
      'logfile = /var/log/dinit/pvpn-limits.log',
      '',
    ].join('\n'));
    expect(await m.exec(['dinitctl', 'start', 'pvpn-limits'])).toMatchObject({ code: 0 });
    // the logfile is opened by dinit (root), not by the service's user
    expect((await m.sh('cat /var/log/dinit/pvpn-limits.log; stat -c %U /var/log/dinit/pvpn-limits.log')).stdout).toBe(
      'uid=1(daemon) gid=1(daemon) groups=1(daemon)\n/srv/w d $x\n100\n200\n5\nroot\n',
    );
  });

  describe('quoting, proven with the probe', () => {
    let n = 0;
    async function roundTrip(c: HostileCase): Promise<void> {
      const name = `pvpn-q${++n}`;
      const env = specEnvironment(c.env);
      m.writeFile(`/etc/dinit.d/${name}.env`, [...env].map(([k, v]) => dinitEnvLine(k, v)).join(''));
      service(name, `type = scripted\ncommand = ${[MACHINE_PROBE, ...c.args].map(dinitArg).join(' ')}\nenv-file = /etc/dinit.d/${name}.env\n`);
      resetProbe(m);
      const started = await m.exec(['dinitctl', 'start', name]);
      expect(started.stderr).toBe('');
      const record = readProbe(m);
      expect(record.argv).toEqual([MACHINE_PROBE, ...c.args]);
      const seen = environMap(record.environ);
      for (const [k, v] of env) expect(seen.get(k), k).toBe(v);
      await m.sh(`dinitctl stop ${name} >/dev/null; dinitctl unload ${name} >/dev/null`);
    }

    it('carries every hostile token through command = and env-file exactly', async () => {
      await roundTrip(everyTokenCase());
    });

    it('carries random hostile arguments and values exactly', async () => {
      await fc.assert(fc.asyncProperty(hostileCase(1), roundTrip), { numRuns: 15 });
    });

    it('cannot hold a newline in an argument, and a lone $ makes the file unloadable (dinit-check does not see it)', async () => {
      // a backslash-newline inside quotes keeps the newline, but the next line must start with whitespace, which stays
      service('pvpn-nl', `type = scripted\ncommand = ${MACHINE_PROBE} "a\\\n b"\n`);
      resetProbe(m);
      await m.exec(['dinitctl', 'start', 'pvpn-nl']);
      expect(readProbe(m).argv.slice(1)).toEqual(['a\n b']);
      service('pvpn-nl2', `type = scripted\ncommand = ${MACHINE_PROBE} "a\\\nb"\n`);
      expect((await m.exec(['dinitctl', 'start', 'pvpn-nl2'])).code).toBe(1);

      for (const [i, bad] of ['"$"', 'end$', '"$ x"', '"${NAME"', '"$1"'].entries()) {
        service(`pvpn-dollar${i}`, `type = scripted\ncommand = ${MACHINE_PROBE} ${bad}\n`);
        expect(await m.exec(['dinitctl', 'start', `pvpn-dollar${i}`])).toMatchObject({ code: 1, stderr: expect.stringContaining('error in service description') });
        expect((await m.exec(['dinit-check', `pvpn-dollar${i}`])).stdout).toContain('No problems found.');
      }
      // a backslash does not protect $ from substitution: only $$ does
      service('pvpn-backslash', `type = scripted\ncommand = ${MACHINE_PROBE} "\\$HOME" "$$HOME"\n`);
      resetProbe(m);
      await m.exec(['dinitctl', 'start', 'pvpn-backslash']);
      expect(readProbe(m).argv.slice(1)).toEqual(['/root', '$HOME']);
    });

  });

  it('leaves its control socket at /run/dinitctl (what tells that dinit runs)', async () => {
    expect((await m.sh('test -S /run/dinitctl && cat /proc/1/comm')).stdout).toBe('dinit\n');
  });

  it('stops without leaving a process or state behind', async () => {
    await m.exec(['dinitctl', 'start', 'pvpn-daemon']);
    await expectCleanStop(m, ns);
  });
});

// The s6 machine with hand-written s6-rc services: what an s6 target must produce, proven on Debian's s6-svscan and
// s6-supervise (2.11) with s6-rc 0.5.4 (supervision, the s6-log pipeline and its rotation, status, one-shots, the
// default bundle, user/limits, and the quoting of sh and execline run scripts and of env/ files).
import fc from 'fast-check';
import { readlinkSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { environMap } from '../support/probe.js';
import { everyTokenCase, hostileCase, specEnvironment, type HostileCase } from '../support/hostile.js';
import type { InitMachine } from './init-machine.js';
import { execlineArg, shArg } from './inits-quoting.js';
import { MACHINE_PROBE, expectCleanStop, installProbe, readProbe, resetProbe, waitInside } from './inits-support.js';
import { bootS6, reloadS6Database } from './s6-sandbox.js';

const ADMIN = '/etc/s6/adminsv';

describe('s6 machine (s6-svscan 2.11 as PID 1, s6-rc 0.5.4)', () => {
  let m: InitMachine;
  let ns: string;
  /** a source definition directory: files by name (run/finish/up get mode 0755) */
  async function define(name: string, files: Record<string, string>): Promise<void> {
    await m.sh(`rm -rf ${ADMIN}/${name} && mkdir -p ${ADMIN}/${name}`);
    for (const [file, text] of Object.entries(files)) {
      if (file.includes('/')) await m.exec(['mkdir', '-p', `${ADMIN}/${name}/${file.slice(0, file.lastIndexOf('/'))}`]);
      m.writeFile(`${ADMIN}/${name}/${file}`, text, ['run', 'finish'].includes(file) ? 0o755 : 0o644);
    }
  }
  async function reload(): Promise<void> {
    const r = await reloadS6Database(m);
    expect(r.stderr.replace(/^s6-rc-compile: warning: source \/etc\/s6\/sv is empty\n/, '')).toBe('');
    expect(r.code).toBe(0);
  }

  beforeAll(async () => {
    m = await bootS6();
    ns = readlinkSync(`/proc/${m.pid}/ns/pid`);
    installProbe(m);
  });
  afterAll(async () => {
    await m?.stop();
  });

  it('supervises a daemon whose output goes through its s6-log pipeline; restarts it when killed; stops it', async () => {
    await define('pvpn-daemon', {
      type: 'longrun\n',
      'producer-for': 'pvpn-daemon-log\n',
      run: '#!/bin/sh\nexec 2>&1\necho "started $$"\necho to-stderr >&2\nexec sleep 1000\n',
    });
    await define('pvpn-daemon-log', {
      type: 'longrun\n',
      'consumer-for': 'pvpn-daemon\n',
      'pipeline-name': 'pvpn-daemon-pipeline\n',
      run: '#!/usr/bin/execlineb -P\ns6-log -b n3 s4096 T /var/log/pvpn-daemon\n',
    });
    await reload();
    // s6-rc-update starts nothing (its supervisor runs, the service is down): bring the pipeline up, logger first
    expect((await m.exec(['s6-svstat', '-o', 'up,wantedup', '/run/service/pvpn-daemon'])).stdout).toBe('false false\n');
    expect(await m.exec(['s6-rc', '-u', 'change', 'pvpn-daemon-pipeline'])).toMatchObject({ code: 0, stderr: '' });
    expect((await m.exec(['s6-rc', '-a', 'list'])).stdout.split('\n')).toEqual(expect.arrayContaining(['pvpn-daemon', 'pvpn-daemon-log']));

    const first = Number((await m.exec(['s6-svstat', '-o', 'pid', '/run/service/pvpn-daemon'])).stdout);
    expect((await m.exec(['s6-svstat', '-o', 'up,wantedup,normallyup', '/run/service/pvpn-daemon'])).stdout).toBe('true true true\n');
    expect((await m.exec(['s6-svstat', '/run/service/pvpn-daemon'])).stdout).toMatch(/^up \(pid \d+\) \d+ seconds\n$/);
    // s6-log T: an ISO 8601 local time stamp, two spaces, the line
    const log = await waitInside(m, 'grep -q to-stderr /var/log/pvpn-daemon/current && cat /var/log/pvpn-daemon/current');
    expect(log).toMatch(new RegExp(`^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{9}  started ${first}\\n\\S+ \\S+  to-stderr$`));

    await m.exec(['kill', '-KILL', String(first)]);
    const second = Number(await waitInside(m, `p=$(s6-svstat -o pid /run/service/pvpn-daemon) && [ "$p" != ${first} ] && [ "$p" != -1 ] && echo $p`));
    expect(second).toBeGreaterThan(0);
    await waitInside(m, 'grep -c started /var/log/pvpn-daemon/current | grep -x 2');

    expect(await m.exec(['s6-rc', '-d', 'change', 'pvpn-daemon'])).toMatchObject({ code: 0 });
    expect((await m.exec(['s6-svstat', '/run/service/pvpn-daemon'])).stdout).toMatch(/^down \(signal SIGTERM\) \d+ seconds, ready \d+ seconds\n$/);
    expect((await m.exec(['s6-svstat', '-o', 'up,wantedup,pid,signal', '/run/service/pvpn-daemon'])).stdout).toBe('false false -1 SIGTERM\n');
    expect((await m.sh('pgrep -x sleep')).code).toBe(1);
  });

  it('rotates the log: s6-log keeps n archives of about s bytes', async () => {
    const r = await m.sh('for i in $(seq 1 800); do echo "line $i xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"; done | s6-log n3 s4096 /tmp/rot && ls /tmp/rot | sort');
    const files = r.stdout.trim().split('\n');
    expect(files.filter((f) => /^@[0-9a-f]{24}\.s$/.test(f))).toHaveLength(3); // 40 KB of lines, 3 archives kept
    expect(files).toEqual(expect.arrayContaining(['current', 'lock', 'state']));
  });

  it('runs a one-shot: up is an execline line; failure is reported by s6-rc; down then up runs it again', async () => {
    await define('pvpn-job', { type: 'oneshot\n', up: '/bin/sh -c "echo run >> /var/lib/pvpn-job.runs"\n' });
    await define('pvpn-job-fails', { type: 'oneshot\n', up: '/bin/sh -c "exit 7"\n' });
    await reload();
    expect(await m.exec(['s6-rc', '-u', 'change', 'pvpn-job'])).toMatchObject({ code: 0 });
    expect(await m.exec(['s6-rc', '-d', 'change', 'pvpn-job'])).toMatchObject({ code: 0 }); // no `down`: only marks it down
    expect(await m.exec(['s6-rc', '-u', 'change', 'pvpn-job'])).toMatchObject({ code: 0 });
    expect((await m.sh('cat /var/lib/pvpn-job.runs')).stdout).toBe('run\nrun\n');

    const failed = await m.exec(['s6-rc', '-u', 'change', 'pvpn-job-fails']);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('s6-rc: warning: unable to start service pvpn-job-fails: command exited 7');
    const active = (await m.exec(['s6-rc', '-a', 'list'])).stdout.split('\n');
    expect(active).toContain('pvpn-job');
    expect(active).not.toContain('pvpn-job-fails');
  });

  it('enables by adding to the default bundle and recompiling; boot brings the bundle up', async () => {
    await define('pvpn-boot', { type: 'longrun\n', run: '#!/bin/sh\nexec sleep 1001\n' });
    await m.exec(['touch', `${ADMIN}/default/contents.d/pvpn-boot`]);
    await reload();
    expect((await m.exec(['s6-rc-db', '-c', '/etc/s6/rc/compiled', 'contents', 'default'])).stdout).toBe('pvpn-boot\n');
    expect((await m.exec(['s6-svstat', '-o', 'up', '/run/service/pvpn-boot'])).stdout).toBe('false\n'); // nothing started yet
    // what Artix's rc.init does at boot, after s6-rc-init
    expect(await m.exec(['s6-rc', '-u', 'change', 'default'])).toMatchObject({ code: 0 });
    expect((await m.exec(['s6-svstat', '-o', 'up', '/run/service/pvpn-boot'])).stdout).toBe('true\n');
    // disable: out of the bundle, recompile; s6-rc-update leaves it running until it is brought down
    await m.exec(['rm', `${ADMIN}/default/contents.d/pvpn-boot`]);
    await reload();
    expect((await m.exec(['s6-rc-db', '-c', '/etc/s6/rc/compiled', 'contents', 'default'])).stdout).toBe('');
    expect(await m.exec(['s6-rc', '-d', 'change', 'pvpn-boot'])).toMatchObject({ code: 0 });
  });

  it('sets user and groups (s6-setuidgid), soft limits (s6-softlimit), nice and working directory in the run script', async () => {
    await m.sh("groupadd pvpnx && usermod -aG pvpnx daemon && mkdir -p '/srv/w d $x'");
    await define('pvpn-limits', {
      type: 'longrun\n',
      run: [
        '#!/bin/sh',
        'exec 2>&1',
        `cd ${shArg('/srv/w d $x')} || exit 1`,
        'exec nice -n 5 s6-softlimit -o 100 s6-setuidgid daemon sh -c \'{ id; pwd; ulimit -Sn; nice; } > /tmp/pvpn-limits.out; exec sleep 1000\'',
        '',
      ].join('\n'),
    });
    await reload();
    await m.exec(['s6-rc', '-u', 'change', 'pvpn-limits']);
    expect(await waitInside(m, 'grep -q ^5 /tmp/pvpn-limits.out && cat /tmp/pvpn-limits.out')).toBe(
      'uid=1(daemon) gid=1(daemon) groups=1(daemon),1001(pvpnx)\n/srv/w d $x\n100\n5',
    );
    // a service's default working directory is its live service directory, which changes with every database
    await define('pvpn-cwd', { type: 'longrun\n', run: '#!/bin/sh\npwd > /tmp/pvpn-cwd.out; exec sleep 1000\n' });
    await reload();
    await m.exec(['s6-rc', '-u', 'change', 'pvpn-cwd']);
    expect(await waitInside(m, 'cat /tmp/pvpn-cwd.out')).toMatch(/^\/run\/s6-rc:s6-rc-update:\w+\/servicedirs\/pvpn-cwd$/);
    await m.exec(['s6-rc', '-d', 'change', 'pvpn-limits', 'pvpn-cwd']);
  });

  it('does not track a service that stopped itself: finish exiting 125 keeps it down, s6-rc still lists it up', async () => {
    await define('pvpn-once', { type: 'longrun\n', run: '#!/bin/sh\nexit 3\n', finish: '#!/bin/sh\n[ "$1" = 3 ] && exit 125\nexit 0\n' });
    await reload();
    expect(await m.exec(['s6-rc', '-u', 'change', 'pvpn-once'])).toMatchObject({ code: 0 });
    expect(await waitInside(m, "s6-svstat -o up,wantedup,exitcode /run/service/pvpn-once | grep -x 'false false 3'")).toBe('false false 3');
    expect((await m.exec(['s6-rc', '-a', 'list'])).stdout.split('\n')).toContain('pvpn-once');
    await m.exec(['s6-rc', '-d', 'change', 'pvpn-once']);
  });

  describe('quoting, proven with the probe', () => {
    let n = 0;
    /** one run of the probe as a longrun (finish 125: no restart); sh exports the environment, execline hands it to
     * env(1) (execline's own `export` is looked up on a PATH the environment may just have changed) */
    async function roundTrip(c: HostileCase, language: 'sh' | 'execline'): Promise<void> {
      const name = `pvpn-q${++n}`;
      const env = specEnvironment(c.env);
      const argv = [MACHINE_PROBE, ...c.args];
      const run =
        language === 'sh'
          ? `#!/bin/sh\n${[...env].map(([k, v]) => `export ${k}=${shArg(v)}\n`).join('')}exec ${argv.map(shArg).join(' ')}\n`
          : `#!/usr/bin/execlineb -P\n/usr/bin/env -- ${[...env].map(([k, v]) => execlineArg(`${k}=${v}`)).join(' ')}\n${argv.map(execlineArg).join(' ')}\n`;
      await define(name, { type: 'longrun\n', run, finish: '#!/bin/sh\nexit 125\n' });
      await reload();
      resetProbe(m);
      expect(await m.exec(['s6-rc', '-u', 'change', name])).toMatchObject({ code: 0 });
      await waitInside(m, `s6-svstat -o wantedup /run/service/${name} | grep -x false`);
      const record = readProbe(m);
      expect(record.argv).toEqual(argv);
      const seen = environMap(record.environ);
      for (const [k, v] of env) expect(seen.get(k), k).toBe(v);
      await m.exec(['s6-rc', '-d', 'change', name]);
      await m.exec(['rm', '-rf', `${ADMIN}/${name}`]);
    }

    it('reads env/ files with s6-envdir -fn exactly, except that an empty file unsets the variable', async () => {
      const values = { MULTI: ' lead\n2nd line  \n', TAB: 'a\tb', EMPTY: '', DOLLAR: '$HOME `id`' };
      const files: Record<string, string> = { type: 'longrun\n', finish: '#!/bin/sh\nexit 125\n' };
      files.run = `#!/bin/sh\nexec /usr/bin/s6-envdir -fn env ${MACHINE_PROBE}\n`;
      for (const [k, v] of Object.entries(values)) files[`env/${k}`] = v;
      await define('pvpn-envdir', files);
      await reload();
      resetProbe(m);
      await m.exec(['s6-rc', '-u', 'change', 'pvpn-envdir']);
      await waitInside(m, 's6-svstat -o wantedup /run/service/pvpn-envdir | grep -x false');
      const seen = environMap(readProbe(m).environ);
      expect([seen.get('MULTI'), seen.get('TAB'), seen.has('EMPTY'), seen.get('DOLLAR')]).toEqual([' lead\n2nd line  \n', 'a\tb', false, '$HOME `id`']);
      await m.exec(['s6-rc', '-d', 'change', 'pvpn-envdir']);
    });

    it('carries every hostile token through a sh run script exactly', async () => {
      await roundTrip(everyTokenCase(), 'sh');
    });

    it('carries every hostile token through an execline run script exactly', async () => {
      await roundTrip(everyTokenCase(), 'execline');
    });

    it('carries random hostile arguments and values exactly (sh and execline)', async () => {
      await fc.assert(
        fc.asyncProperty(hostileCase(1), fc.constantFrom('sh' as const, 'execline' as const), roundTrip),
        { numRuns: 10 },
      );
    });

    it('substitutes $NAME in execline only after importas/define: then a literal ${X} must not follow', async () => {
      await define('pvpn-subst', {
        type: 'oneshot\n',
        up: `importas -i H HOME ${MACHINE_PROBE} ${['$H', '${H}', '$HOME', '\\$H'].map(execlineArg).join(' ')}\n`,
      });
      await reload();
      resetProbe(m);
      await m.exec(['s6-rc', '-u', 'change', 'pvpn-subst']);
      // oneshots run under s6rc-oneshot-runner, whose environment has HOME=/root here
      expect(readProbe(m).argv.slice(1)).toEqual(['/root', '/root', '$HOME', '$H']);
    });
  });

  it('leaves /run/s6-rc (the live directory) and /run/service/.s6-svscan (what tells that s6 runs)', async () => {
    const r = await m.sh('test -L /run/s6-rc && test -p /run/service/.s6-svscan/control && readlink /run/s6-rc && cat /proc/1/comm');
    expect(r.stdout).toMatch(/^s6-rc:s6-rc-(init|update):\w+\ns6-svscan\n$/); // each s6-rc-update moves the link
  });

  it('stops without leaving a process or state behind', async () => {
    await m.exec(['s6-rc', '-u', 'change', 'pvpn-daemon-pipeline']);
    await expectCleanStop(m, ns);
  });
});

/**
 * A runit daemon under the real runsv: started at install, supervised (restarted after a crash when
 * `restart: on-failure`), left down after a clean exit, kept down when its precondition does not hold, and
 * restarted and stopped through pvpn-gen.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { bootRunit, type RunitSandbox } from '../harness/runit-sandbox.js';
import { REPO } from '../support/paths.js';
import { runitCommands, sleep, waitUntil as waitFor } from './runit-helpers.js';

/** A daemon that runs until /tmp/ctl/exit-with holds an exit status, then exits with it. */
const DAEMON = `#!/bin/sh
echo "daemon up pid=$$"
while [ ! -e /tmp/ctl/exit-with ]; do sleep 0.2; done
status=$(cat /tmp/ctl/exit-with); rm -f /tmp/ctl/exit-with
echo "daemon exiting with $status"
exit "$status"
`;

const SPEC = `version: 1
services:
  svc:
    command: [/bin/sh, /usr/local/bin/pvpn-daemon]
    user: daemon
    restart: on-failure
    restartDelay: 1s
  gated:
    command: [/bin/sleep, "1000"]
    precondition: [/usr/bin/test, -e, /tmp/gate]
    user: daemon
`;

describe('a runit daemon', () => {
  let box: RunitSandbox;
  const { sh, pvpn } = runitCommands(() => box);
  const status = async (name: string) => (await sh(`sv status /etc/sv/${name}`)).stdout;
  const pid = (text: string) => text.match(/^run: [^;]*?\(pid (\d+)\)/)?.[1];

  beforeAll(async () => {
    box = bootRunit('/var/service', [REPO]);
    // a control directory the daemon (user daemon) may remove files from: no sticky bit
    await sh('mkdir -p /tmp/ctl && chmod 0777 /tmp/ctl && cat > /usr/local/bin/pvpn-daemon && chmod 755 /usr/local/bin/pvpn-daemon', DAEMON);
    await sh('mkdir -p /root/d && cat > /root/d/pvpn-gen.yaml', SPEC);
    const install = await pvpn('--spec', '/root/d/pvpn-gen.yaml', 'install', '--target', 'runit', '--layout', 'void', '--yes');
    if (install.code !== 0) throw new Error(`install failed: ${install.stdout}${install.stderr}`);
  }, 90_000);
  afterAll(() => box?.stop());

  test('runs under runsv as its user, from install on', async () => {
    await waitFor('the daemon', async () => pid(await status('svc')) !== undefined);
    const daemonPid = pid(await status('svc')) as string;
    expect((await sh(`ps -o user= -p ${daemonPid}`)).stdout.trim()).toBe('daemon');
    expect((await pvpn('status', 'svc')).stdout).toMatch(/svc \(daemon, runit\): enabled, running \(pid \d+\)/);
  }, 30_000);

  test('a crash (exit 3) is restarted: restart on-failure', async () => {
    const before = pid(await status('svc'));
    await sh('echo 3 > /tmp/ctl/exit-with');
    await waitFor('the restarted daemon', async () => {
      const now = pid(await status('svc'));
      return now !== undefined && now !== before;
    });
    expect((await sh('cat /var/log/svc/current')).stdout).toContain('pvpn-gen: daemon failed status=3');
    const history = (JSON.parse((await pvpn('status', '--json', 'svc')).stdout) as { services: Array<{ lastRun: { outcome: string; status: number } }> }).services;
    expect(history[0]?.lastRun).toMatchObject({ outcome: 'failed', status: 3 });
  }, 30_000);

  test('a clean exit (0) leaves it down: no restart wanted', async () => {
    await sh('echo 0 > /tmp/ctl/exit-with');
    await waitFor('the daemon to stay down', async () => /^down: /.test(await status('svc')));
    await sleep(2500);
    expect(await status('svc')).toMatch(/^down: /);
  }, 30_000);

  test('restart and stop through pvpn-gen', async () => {
    expect((await pvpn('restart', 'svc')).code).toBe(0);
    await waitFor('the daemon up again', async () => pid(await status('svc')) !== undefined);
    // a running daemon restarted (TERM, then up) comes back with a new pid and stays up, whatever its policy
    const before = pid(await status('svc'));
    expect((await pvpn('restart', 'svc')).code).toBe(0);
    await waitFor('a new daemon', async () => ![undefined, before].includes(pid(await status('svc'))));
    await sleep(2500);
    expect(await status('svc')).toMatch(/^run: /);
    expect((await sh('sv restart /etc/sv/svc')).code).toBe(0);
    await sleep(2500);
    expect(await status('svc')).toMatch(/^run: /);
    expect((await pvpn('stop', 'svc')).code).toBe(0);
    expect(await status('svc')).toMatch(/^down: /);
  }, 30_000);

  test('a daemon whose precondition does not hold is not started, and not restarted', async () => {
    await waitFor('the skip to be logged', async () => (await sh('cat /var/log/gated/current 2>/dev/null')).stdout.includes('pvpn-gen: start skipped precondition-status=1'));
    await waitFor('it to be down', async () => /^down: /.test(await status('gated')));
    await sh('touch /tmp/gate');
    await sleep(2000);
    expect(await status('gated')).toMatch(/^down: /); // as with ExecCondition=: it waits for an explicit start
    expect((await pvpn('start', 'gated')).code).toBe(0);
    await waitFor('the gated daemon', async () => pid(await status('gated')) !== undefined);
  }, 40_000);

  test('uninstall stops both and removes them', async () => {
    const result = await pvpn('uninstall', '--yes');
    expect(result.code, result.stderr).toBe(0);
    expect((await sh('ls -A /etc/sv /var/service')).stdout.replace(/.*:\n/g, '').trim()).toBe('');
    const running = (await sh('ps -eo stat=,comm=')).stdout.split('\n').filter((l) => l.trim() && !l.trim().startsWith('Z')).map((l) => l.trim().split(/\s+/)[1]);
    expect(running.sort()).toEqual(['ps', 'runsvdir', 'sh']);
  }, 60_000);
});

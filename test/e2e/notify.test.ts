/**
 * Notifications end to end (issue 17), on runit (runsvdir as PID 1, no logind: /run/user/UID/bus) and on systemd 252
 * (a real logind session, user@UID's bus): pvpn-gen installs a periodic job with `notify:` and `changedExitStatus`,
 * a person is logged in on a desktop with a recording notification daemon (test/harness/notify-session.*), and the
 * job fails, recovers, changes something and then changes nothing. Exactly three notifications reach that person's
 * session bus, sent as them; the notification command gets the same three as the service's user; with nobody logged
 * in a run is neither failed nor held up by the delivery.
 */
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it, test } from 'vitest';
import { compileSpec } from '../../src/model/compile.js';
import { renderSpec } from '../../src/render/render.js';
import { dump as stringify } from 'js-yaml';
import { NOTIFY_HARNESS_DIR, assertNotifyPrerequisites, logIn, type DesktopSession, type SandboxExec } from '../harness/notify-session.js';
import { bootRunit } from '../harness/runit-sandbox.js';
import { bootE2E, type StatusJson } from './helpers.js';
import { runitCommands, sleep, waitUntil } from './runit-helpers.js';

type Result = { code: number; stdout: string; stderr: string };
interface Box {
  exec: SandboxExec;
  sh(script: string, input?: string): Promise<Result>;
  pvpn(...args: string[]): Promise<Result>;
  stop(): Promise<void> | void;
}

/** Every character a sloppy sender would mangle: GVariant quotes and escapes, markup, sh and systemd specials. */
const DESCRIPTION = `Sync <b>'it'</b> & "co" \\ $HOME %n \\u00e9 ☃ end`;
const NAME = 'notify-job';
const DIR = `/var/lib/${NAME}`;
const SPEC_FILE = '/root/notify-e2e/spec.yaml';
const EXIT_FILE = '/etc/notify-e2e/exit';
const SKIP_FILE = '/etc/notify-e2e/skip';
const ALICE = { user: 'alice', uid: 4242 };

const spec = {
  version: 1,
  services: {
    [NAME]: {
      description: DESCRIPTION,
      command: ['/bin/sh', '-c', `read -r code <${EXIT_FILE}; exit "$code"`],
      precondition: ['/bin/sh', '-c', `test ! -e ${SKIP_FILE}`],
      interval: '1h',
      onBoot: '1h', // runs only when the test asks (run-now)
      user: 'notify-svc',
      workingDirectory: DIR,
      changedExitStatus: 3,
      notify: {
        on: ['failure', 'recovery', 'changed', 'skipped'],
        // records what it was given: who it runs as and the NOTIFY_* variables
        command: [
          '/usr/bin/python3', '-c',
          `import json, os, time; json.dump({"uid": os.getuid(), "env": {k: v for k, v in os.environ.items() if k.startswith("NOTIFY_")}}, open("${DIR}/cmd-%d.json" % time.time_ns(), "w"))`,
        ],
      },
    },
  },
};

function notifySuite(target: 'runit' | 'systemd', boot: () => Promise<Box>): void {
  describe(`notifications on ${target}`, () => {
    let box: Box;
    let alice: DesktopSession;
    let runs = 0;
    const timings: string[] = [];

    const status = async (): Promise<StatusJson & { lastNotification?: { event: string; desktop: string[]; command?: number } }> => {
      const r = await box.pvpn('status', '--json', NAME);
      expect(r.code, r.stderr).toBe(0);
      return JSON.parse(r.stdout).services[0];
    };
    /** one run with this exit status, waited for until status has it */
    const runWith = async (code: number) => {
      const started = Date.now();
      expect((await box.sh(`echo ${code} >${EXIT_FILE}`)).code).toBe(0);
      const r = await box.pvpn('run-now', NAME);
      expect(r.code, r.stderr).toBe(0);
      runs += 1;
      let last: StatusJson | undefined;
      await waitUntil(`run ${runs} (exit ${code}) in status`, async () => {
        last = await status();
        return last.runs.filter((run) => run.outcome !== 'running' && run.outcome !== 'skipped').length >= runs;
      }, 30_000);
      timings.push(`run exit ${code}: ${Date.now() - started} ms`);
      return last as StatusJson;
    };
    const commandRecords = async () => {
      const r = await box.sh(`for f in ${DIR}/cmd-*.json; do [ -e "$f" ] && cat "$f" && echo; done`);
      return r.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { uid: number; env: Record<string, string> });
    };

    beforeAll(async () => {
      assertNotifyPrerequisites();
      const t0 = Date.now();
      box = await boot();
      expect((await box.sh(`mkdir -p ${SPEC_FILE.replace(/\/[^/]*$/, '')} ${EXIT_FILE.replace(/\/[^/]*$/, '')} && echo 0 >${EXIT_FILE} && cat >${SPEC_FILE}`, stringify(spec))).code).toBe(0);
      const layout = target === 'runit' ? ['--layout', 'void'] : [];
      const installed = await box.pvpn('--spec', SPEC_FILE, 'install', '--target', target, ...layout, '--yes');
      expect(installed.code, installed.stderr + installed.stdout).toBe(0);
      alice = await logIn(box.exec, ALICE);
      timings.push(`boot, install, log in: ${Date.now() - t0} ms`);
    });
    afterAll(async () => {
      await box?.stop();
      console.log(`notify e2e on ${target}:\n  ${timings.join('\n  ')}`);
    });

    it('a failing run notifies the person logged in, on their session bus, as them, critical, the text exact', async () => {
      const last = await runWith(7);
      expect(last.lastRun).toMatchObject({ outcome: 'failed', status: 7 });
      const [got] = await alice.waitForNotifications(1);
      expect(got).toMatchObject({
        uid: ALICE.uid, // the bus daemon's word for who sent it: never root, who could not connect anyway
        app_name: NAME,
        summary: `${DESCRIPTION} failed`,
        body: `${NAME}: exit status 7`,
        hints: { urgency: 2 },
        expire_timeout: -1,
        signature: 'susssasa{sv}i',
      });
    });

    it('the next success is a recovery, exit 3 a change (counted as success); a run that changed nothing sends nothing', async () => {
      expect((await runWith(0)).lastRun).toMatchObject({ outcome: 'success', status: 0 });
      expect((await alice.waitForNotifications(2))[1]).toMatchObject({ summary: `${DESCRIPTION} works again`, hints: { urgency: 1 } });
      // systemd logs a SuccessExitStatus= exit at debug level only: its status says success, exit status unknown (0)
      expect((await runWith(3)).lastRun).toMatchObject({ outcome: 'success', status: target === 'runit' ? 3 : 0 });
      expect((await alice.waitForNotifications(3))[2]).toMatchObject({ summary: `${DESCRIPTION} changed something`, body: `${NAME}: exit status 3` });
      expect((await runWith(0)).lastRun).toMatchObject({ outcome: 'success', status: 0 });
      await sleep(4000); // a notification would be on its way by now
      expect((await alice.notifications()).map((n) => n.summary)).toEqual([`${DESCRIPTION} failed`, `${DESCRIPTION} works again`, `${DESCRIPTION} changed something`]);
    });

    it('the notification command got the same three, as the service user, with the NOTIFY_* variables', async () => {
      const uid = Number((await box.sh('id -u notify-svc')).stdout.trim());
      expect(uid).toBeGreaterThan(0);
      await waitUntil('three command records', async () => (await commandRecords()).length >= 3);
      const records = (await commandRecords()).slice(0, 3);
      expect(records.map((r) => r.uid)).toEqual([uid, uid, uid]);
      expect(records.map((r) => r.env)).toEqual([
        { NOTIFY_SERVICE: NAME, NOTIFY_EVENT: 'failure', NOTIFY_EXIT_STATUS: '7', NOTIFY_SUMMARY: `${DESCRIPTION} failed`, NOTIFY_BODY: `${NAME}: exit status 7` },
        { NOTIFY_SERVICE: NAME, NOTIFY_EVENT: 'recovery', NOTIFY_EXIT_STATUS: '0', NOTIFY_SUMMARY: `${DESCRIPTION} works again`, NOTIFY_BODY: `${NAME}: exit status 0 after a failure` },
        { NOTIFY_SERVICE: NAME, NOTIFY_EVENT: 'changed', NOTIFY_EXIT_STATUS: '3', NOTIFY_SUMMARY: `${DESCRIPTION} changed something`, NOTIFY_BODY: `${NAME}: exit status 3` },
      ]);
    });

    it('status shows the last notification sent', async () => {
      expect((await status()).lastNotification).toMatchObject({ event: 'changed', desktop: ['alice'] });
      const text = await box.pvpn('status', NAME);
      expect(text.stdout).toMatch(/notified: changed .* UTC, desktop: alice/);
    });

    it('a stuck notification daemon holds up neither the run nor the next one', async () => {
      await alice.setReplyDelay(20_000);
      try {
        const before = (await commandRecords()).length;
        const started = Date.now();
        const failed = await runWith(8);
        expect(failed.lastRun).toMatchObject({ outcome: 'failed', status: 8 });
        expect(failed.lastRun?.seconds ?? 0).toBeLessThan(3);
        expect(Date.now() - started).toBeLessThan(15_000); // the delivery alone may take 3 s + the kill
        // the delivery gave up (gdbus --timeout 3, timeout 5): nobody counted as reached, the command still ran
        await waitUntil('the command record of the failure', async () => (await commandRecords()).length === before + 1, 30_000);
        expect((await status()).lastNotification).toMatchObject({ event: 'failure', desktop: [] });
        expect((await alice.waitForNotifications(4))[3]).toMatchObject({ summary: `${DESCRIPTION} failed`, body: `${NAME}: exit status 8` });
      } finally {
        await alice.setReplyDelay(0);
      }
    });

    it('with nobody logged in a failing run still fails on time, and the next run happens as usual', async () => {
      await alice.logOut();
      const before = (await commandRecords()).length;
      const failed = await runWith(9);
      expect(failed.lastRun).toMatchObject({ outcome: 'failed', status: 9 });
      expect(failed.lastRun?.seconds ?? 0).toBeLessThan(5);
      // the command runs after the record of the notification is written
      await waitUntil('the command record of the failure', async () => (await commandRecords()).length === before + 1, 30_000);
      expect((await commandRecords()).at(-1)?.env).toMatchObject({ NOTIFY_EVENT: 'failure', NOTIFY_EXIT_STATUS: '9' });
      expect((await status()).lastNotification).toMatchObject({ event: 'failure', desktop: [] });
      expect((await runWith(0)).lastRun).toMatchObject({ outcome: 'success', status: 0 });
    });

    it('a run the precondition skips is the skipped event', async () => {
      const before = (await commandRecords()).length;
      expect((await box.sh(`touch ${SKIP_FILE}`)).code).toBe(0);
      const r = await box.pvpn('run-now', NAME);
      expect(r.code, r.stderr).toBe(0);
      await waitUntil('the skipped run in status', async () => (await status()).runs.at(-1)?.outcome === 'skipped', 30_000);
      await waitUntil('the notification of the skipped run', async () => (await status()).lastNotification?.event === 'skipped', 20_000);
      // (the recovery of the run before may still be on its way: look for the record, not at a count)
      await waitUntil('the command record of the skipped run', async () => (await commandRecords()).slice(before).some((r) => r.env.NOTIFY_EVENT === 'skipped'));
      expect((await commandRecords()).find((r) => r.env.NOTIFY_EVENT === 'skipped')?.env).toMatchObject({ NOTIFY_SUMMARY: `${DESCRIPTION} skipped` });
    });

    it('uninstall removes the job and its notification unit', async () => {
      const r = await box.pvpn('--spec', SPEC_FILE, 'uninstall', '--yes');
      expect(r.code, r.stderr + r.stdout).toBe(0);
      const left = await box.sh(`ls /etc/systemd/system/${NAME}* /etc/sv/${NAME} /var/service/${NAME} 2>/dev/null`);
      expect(left.stdout).toBe('');
    });
  });
}

/** The arguments of a systemd Exec line as systemd reads them (systemdExecArg's escapes undone). */
function execArgs(line: string): string[] {
  const args: string[] = [];
  for (const m of line.matchAll(/"((?:[^"\\]|\\.)*)"/g)) {
    args.push(
      (m[1] ?? '').replace(/\\(x[0-9a-f]{2}|.)|%%|\$\$/g, (all, esc: string | undefined) => {
        if (all === '%%' || all === '$$') return all[0] as string;
        if (esc === 'n') return '\n';
        if (esc === 't') return '\t';
        return esc && esc.length === 3 ? String.fromCharCode(Number.parseInt(esc.slice(1), 16)) : (esc as string);
      }),
    );
  }
  return args;
}

test('the scripts inside NAME-notify@.service pass shellcheck and dash -n', () => {
  const rendered = renderSpec(compileSpec(stringify(spec), 'spec.yaml'), { target: 'systemd' });
  const unit = rendered.entries.find((e) => e.path.endsWith(`/${NAME}-notify@.service`));
  if (unit?.kind !== 'file') throw new Error('no notification unit');
  const scripts = unit.content.split('\n').filter((l) => l.startsWith('ExecStart=')).map((l) => execArgs(l)[2] ?? '');
  expect(scripts).toHaveLength(2);
  expect(scripts[0]).toContain('notify_run failure');
  for (const script of scripts) {
    const text = `#!/bin/sh\n${script}`;
    const sc = spawnSync('shellcheck', ['-s', 'sh', '-'], { input: text, encoding: 'utf8' });
    expect(sc.status, sc.stdout + sc.stderr).toBe(0);
    const dash = spawnSync('dash', ['-n'], { input: text, encoding: 'utf8' });
    expect(dash.status, dash.stderr).toBe(0);
  }
});

notifySuite('runit', async () => {
  const sb = bootRunit('/var/service', [NOTIFY_HARNESS_DIR.replace(/\/test\/harness$/, '')]);
  const { sh, pvpn } = runitCommands(() => sb);
  return { exec: sb.exec, sh, pvpn, stop: () => sb.stop() };
});

notifySuite('systemd', async () => {
  const e2e = await bootE2E({});
  return {
    exec: e2e.sb.exec,
    sh: e2e.sh,
    pvpn: (...args: string[]) => e2e.pvpn(args),
    stop: () => e2e.stop(),
  };
});

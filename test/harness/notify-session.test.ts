// Proof of the desktop-session harness, in both sandboxes: a user logged in the way that machine shows it (a real
// logind session under systemd; /run/user/UID/bus under runit), whose session bus takes notifications only from
// that user, and a recorder that keeps every call exactly as it came.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOTIFY_HARNESS_DIR, assertNotifyPrerequisites, gdbusNotify, asUser, logIn, type DesktopSession, type SandboxExec } from './notify-session.js';
import { bootRunit } from './runit-sandbox.js';
import { bootSystemd } from './systemd-sandbox.js';
import { requireTool } from '../support/tools.js';

interface Box {
  exec: SandboxExec;
  stop(): unknown;
}

const ALICE = { user: 'alice', uid: 4242 };
const BOB = { user: 'bob', uid: 4243 };
const HOSTILE_BODY = `<b>bold</b> & <a href="https://example.invalid/?a=1&b=2">link</a> &amp; <img src="x"/> 'quoted' "dq" \\n`;

function harnessSuite(name: string, boot: () => Promise<Box>, withLogind: boolean): void {
  describe(name, () => {
    let box: Box;
    let alice: DesktopSession;
    let bob: DesktopSession;
    const sh = (script: string, timeoutMs = 30_000) => box.exec(['sh', '-c', script], { timeoutMs });

    beforeAll(async () => {
      requireTool('notify-send'); // libnotify-bin: the tool most people try first
      assertNotifyPrerequisites(); // before a sandbox boots: logIn checks again
      box = await boot();
      alice = await logIn(box.exec, ALICE);
      bob = await logIn(box.exec, { ...BOB, type: 'wayland' });
    });
    afterAll(async () => {
      await box?.stop(); // ends whatever is still logged in
    });

    it('leaves on the machine what a graphical login leaves there', async () => {
      expect(alice).toMatchObject({ uid: 4242, gid: 4242, busAddress: 'unix:path=/run/user/4242/bus', logind: withLogind });
      // the runtime directory is the user's alone; the socket in it is the user's bus
      const files = await sh('stat -c "%n %F %U %a" /run/user/4242 /run/user/4242/bus');
      expect(files.stdout).toMatch(/^\/run\/user\/4242 directory alice 700\n\/run\/user\/4242\/bus socket alice \d+\n$/);
      const sessions = await sh('loginctl list-sessions -o json');
      if (!withLogind) {
        expect(alice.session).toBeNull();
        expect(sessions.code).not.toBe(0); // no logind here: the detection must fall back to /run/user
        return;
      }
      expect(JSON.parse(sessions.stdout)).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ session: alice.session, uid: 4242, user: 'alice' }),
          expect.objectContaining({ session: bob.session, uid: 4243, user: 'bob' }),
        ]),
      );
      // what a detection reads, asked as an unprivileged service user (pvpn-gen's services are not root)
      await sh('getent passwd protonvpn >/dev/null || useradd --system --no-create-home protonvpn');
      const show = await box.exec([
        'setpriv', '--reuid=protonvpn', '--regid=protonvpn', '--init-groups', '--reset-env', '--',
        'loginctl', 'show-session', alice.session ?? '', bob.session ?? '',
        '-p', 'Name', '-p', 'User', '-p', 'Type', '-p', 'Class', '-p', 'Display', '-p', 'Remote', '-p', 'Active', '-p', 'State',
      ]);
      expect(show.code, show.stderr).toBe(0);
      const [a, b] = show.stdout.trim().split('\n\n').map((block) => Object.fromEntries(block.split('\n').map((l) => l.split(/=(.*)/s).slice(0, 2))));
      expect(a).toEqual({ Name: 'alice', User: '4242', Type: 'x11', Class: 'user', Display: ':0', Remote: 'no', Active: 'yes', State: 'active' });
      expect(b).toMatchObject({ Name: 'bob', Type: 'wayland', Display: '', State: 'active' });
    });

    it('a Notify sent as the user arrives with every field, from the uid the bus vouches for', async () => {
      const before = (await alice.notifications()).length;
      const sent = await box.exec([
        ...asUser(alice),
        ...gdbusNotify({ app: 'protonvpn-updater', summary: 'protonvpn-updater failed', body: 'exit status 3', urgency: 2, expireMs: 0 }),
      ]);
      expect(sent, sent.stderr).toMatchObject({ code: 0 });
      const got = (await alice.waitForNotifications(before + 1)).at(-1);
      expect(got).toMatchObject({
        uid: 4242, app_name: 'protonvpn-updater', summary: 'protonvpn-updater failed', body: 'exit status 3',
        hints: { urgency: 2 }, expire_timeout: 0, replaces_id: 0, signature: 'susssasa{sv}i',
      });
      expect(sent.stdout.trim()).toBe(`(uint32 ${got?.id},)`); // the id the server gave back
      // notify-send (libnotify-bin) arrives too, with urgency as the same byte; it asks for the server's info first
      const ns = await box.exec([...asUser(alice), 'notify-send', '-a', 'svc', '-u', 'critical', '--', 'sum', 'body']);
      expect(ns, ns.stderr).toMatchObject({ code: 0 });
      expect((await alice.waitForNotifications(before + 2)).at(-1)).toMatchObject({ uid: 4242, app_name: 'svc', hints: { urgency: 2 } });
    });

    it('keeps markup, quotes and backslashes in the body exactly as sent (it records, it renders nothing)', async () => {
      const before = (await alice.notifications()).length;
      const sent = await box.exec([...asUser(alice), ...gdbusNotify({ app: 'a', summary: '<i>sum</i> & co', body: HOSTILE_BODY })]);
      expect(sent, sent.stderr).toMatchObject({ code: 0 });
      expect((await alice.waitForNotifications(before + 1)).at(-1)).toMatchObject({ summary: '<i>sum</i> & co', body: HOSTILE_BODY });
    });

    it('refuses a send from root or from another user, even where the directory lets them reach the socket', async () => {
      const before = await alice.calls();
      const notify = gdbusNotify({ app: 'intruder', summary: 's', body: 'b' });
      const env = ['env', `DBUS_SESSION_BUS_ADDRESS=${alice.busAddress}`];
      const asRoot = await box.exec([...env, ...notify]);
      expect(asRoot.code).not.toBe(0);
      expect(asRoot.stderr).toContain('The connection is closed'); // EXTERNAL auth: uid 0 is not the bus owner
      const bobToAlice = asUser({ ...bob, busAddress: alice.busAddress });
      const asBob = await box.exec([...bobToAlice, ...notify]);
      expect(asBob.code).not.toBe(0);
      expect(asBob.stderr).toContain('Permission denied'); // /run/user/4242 is 0700
      await sh('chmod 0755 /run/user/4242');
      try {
        const throughOpenDir = await box.exec([...bobToAlice, ...notify]);
        expect(throughOpenDir.code).not.toBe(0);
        expect(throughOpenDir.stderr).toContain('The connection is closed'); // the bus's own uid check
      } finally {
        await sh('chmod 0700 /run/user/4242');
      }
      expect(await alice.calls()).toEqual(before);
    });

    it('answers GetCapabilities with body-markup, and can stand for a stuck server', async () => {
      const caps = await box.exec([
        ...asUser(alice), 'gdbus', 'call', '--session', '--timeout', '5', '--dest', 'org.freedesktop.Notifications',
        '--object-path', '/org/freedesktop/Notifications', '--method', 'org.freedesktop.Notifications.GetCapabilities',
      ]);
      expect(caps.stdout.trim()).toBe("(['body', 'body-markup'],)");
      const before = (await alice.notifications()).length;
      await alice.setReplyDelay(10_000); // far beyond the sender's 1 s: room for a slow exec on a loaded machine
      try {
        const started = Date.now();
        const late = await box.exec([...asUser(alice), ...gdbusNotify({ app: 'a', summary: 'late', body: 'b', timeoutS: 1 })]);
        const tookMs = Date.now() - started;
        expect(late.code).not.toBe(0);
        expect(late.stderr).toContain('Timeout was reached');
        expect(tookMs).toBeGreaterThanOrEqual(1000);
        expect(tookMs).toBeLessThan(8000);
        expect((await alice.waitForNotifications(before + 1)).at(-1)).toMatchObject({ summary: 'late' }); // it did arrive
      } finally {
        await alice.setReplyDelay(0);
      }
    });

    if (!withLogind) {
      it('a bus outside /run/user (dbus-launch style) is found only in the environment of the session processes', async () => {
        const carol = await logIn(box.exec, { user: 'carol', uid: 4244, display: ':1', busPath: '/tmp/dbus-carol/bus' });
        try {
          expect((await sh('test -e /run/user/4244/bus')).code).not.toBe(0);
          // what a scan of /proc/*/environ finds for uid 4244: the notification daemon's bus and display
          const environ = await sh(`tr '\\0' '\\n' </proc/$(pgrep -u 4244 -f notify-recorder)/environ`);
          expect(environ.stdout).toContain('DBUS_SESSION_BUS_ADDRESS=unix:path=/tmp/dbus-carol/bus\n');
          expect(environ.stdout).toContain('DISPLAY=:1\n');
          const sent = await box.exec([...asUser(carol), ...gdbusNotify({ app: 'a', summary: 'found', body: 'b' })]);
          expect(sent, sent.stderr).toMatchObject({ code: 0 });
          expect(await carol.waitForNotifications(1)).toMatchObject([{ uid: 4244, summary: 'found' }]);
        } finally {
          await carol.logOut();
        }
      });
    }

    it('after logout: no session and no bus, and a send fails at once', async () => {
      await bob.logOut();
      const left = await sh('ls -A /run/user; loginctl list-sessions -o json 2>/dev/null');
      expect(left.stdout).not.toMatch(/4243/);
      const started = Date.now();
      const sent = await box.exec([...asUser(bob), ...gdbusNotify({ app: 'a', summary: 's', body: 'b' })]);
      expect(sent.code).not.toBe(0);
      expect(sent.stderr).toContain('No such file or directory');
      expect(Date.now() - started).toBeLessThan(4000); // not the 5 s --timeout of a call that waited
      expect((await alice.calls()).filter((c) => c.uid === 4243)).toEqual([]);
    });
  });
}

harnessSuite(
  'desktop session harness in the runit sandbox (no logind: /run/user/UID/bus)',
  async () => bootRunit('/etc/service', [NOTIFY_HARNESS_DIR]),
  false,
);
harnessSuite('desktop session harness in the systemd sandbox (a real logind session)', () => bootSystemd({ binds: [NOTIFY_HARNESS_DIR] }), true);

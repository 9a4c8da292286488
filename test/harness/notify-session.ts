/**
 * TypeScript side of notify-session.sh: a person logged in on a desktop inside a sandbox (runit or systemd), with a
 * recording notification server on their session bus, for the tests of pvpn-gen's desktop notifications.
 *
 *   const sb = bootRunit('/etc/service', [NOTIFY_HARNESS_DIR]); // or: await bootSystemd({ binds: [NOTIFY_HARNESS_DIR] })
 *   const alice = await logIn(sb.exec, { user: 'alice', uid: 4242 });
 *   await sb.exec([...asUser(alice), 'notify-send', 'hello']);  // what the code under test would do
 *   expect(await alice.notifications()).toMatchObject([{ uid: 4242, summary: 'hello' }]);
 *   await alice.logOut();
 *
 * Under systemd the session is a real logind session (loginctl shows it); under runit it is what a machine without
 * logind has: /run/user/UID/bus owned by the user. The sandbox's stop() ends whatever a test left logged in.
 */
import { execFileSync } from 'node:child_process';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { installHint, requireTool } from '../support/tools.js';

export const NOTIFY_SESSION_SCRIPT = fileURLToPath(new URL('./notify-session.sh', import.meta.url));
/**
 * The directory of the harness scripts, which run INSIDE the sandbox: boot it with this bound at the same path
 * (the sandboxes' /tmp and /run are fresh, so a checkout there is not visible otherwise).
 */
export const NOTIFY_HARNESS_DIR = dirname(NOTIFY_SESSION_SCRIPT);

/** the exec of runit-sandbox.ts and systemd-sandbox.ts: argv as root inside the sandbox */
export type SandboxExec = (
  argv: string[],
  options?: { input?: string; timeoutMs?: number },
) => Promise<{ code: number; stdout: string; stderr: string }>;

/** One call the recorder received, with the caller's uid and pid as the bus daemon knows them. */
export interface RecordedCall {
  method: 'Notify' | 'GetCapabilities' | 'GetServerInformation' | 'CloseNotification';
  sender: string;
  uid: number;
  pid: number;
  /** seconds since the epoch, when the call arrived */
  time: number;
  id?: number;
  app_name?: string;
  replaces_id?: number;
  app_icon?: string;
  summary?: string;
  body?: string;
  actions?: string[];
  /** urgency is a number (0 low, 1 normal, 2 critical): the byte the spec asks for, not a string */
  hints?: Record<string, unknown>;
  expire_timeout?: number;
  /** the D-Bus signature the call came with: "susssasa{sv}i" when the sender typed hints right */
  signature?: string;
}

export interface SessionOptions {
  user: string;
  uid: number;
  /** the session's Type as logind records it (default x11) */
  type?: 'x11' | 'wayland' | 'tty' | 'mir' | 'unspecified';
  /** default ":0" for x11 */
  display?: string;
  /** a bus elsewhere than /run/user/UID/bus (as dbus-launch makes), found only through the session's environment */
  busPath?: string;
  /** what GetCapabilities answers (default body, body-markup) */
  capabilities?: string[];
  /** a bus without notification server */
  noRecorder?: boolean;
}

export interface DesktopSession {
  readonly user: string;
  readonly uid: number;
  readonly gid: number;
  readonly type: string;
  readonly display: string;
  /** /run/user/UID */
  readonly runtimeDir: string;
  /** unix:path=... */
  readonly busAddress: string;
  /** a real logind session (systemd sandbox), or none (runit sandbox) */
  readonly logind: boolean;
  /** logind's session id, e.g. "c1" */
  readonly session: string | null;
  /** every call the recorder received so far */
  calls(): Promise<RecordedCall[]>;
  /** the Notify calls only */
  notifications(): Promise<RecordedCall[]>;
  /** waits until `count` Notify calls arrived (rejects after timeoutMs, default 20 s: the machine may be loaded) */
  waitForNotifications(count: number, timeoutMs?: number): Promise<RecordedCall[]>;
  /** from now on the recorder answers Notify this late: a stuck notification daemon (0: at once again) */
  setReplyDelay(ms: number): Promise<void>;
  /** the session ends as at a real logout: recorder, bus and /run/user/UID gone; idempotent */
  logOut(): Promise<void>;
}

/** What the harness runs, as test/support/tools.json names them (the recorder and logind-session.py need Gio). */
const TOOLS = ['/usr/bin/python3', '/usr/lib/python3/dist-packages/gi/__init__.py', 'dbus-daemon', 'gdbus', 'setpriv', 'setsid', 'useradd', 'findmnt'];

/** Throws (never skips) when a tool the harness runs is missing, naming the Debian package to install. */
export function assertNotifyPrerequisites(): void {
  for (const tool of TOOLS) requireTool(tool);
  try {
    execFileSync('/usr/bin/python3', ['-c', 'import gi; gi.require_version("Gio", "2.0")'], { stdio: 'ignore' });
  } catch {
    throw new Error(`notify-session: python3 cannot load Gio: ${installHint('/usr/lib/python3/dist-packages/gi/__init__.py')}`);
  }
}

/** argv prefix that runs a command as the session's user with its bus, the way pvpn-gen's helper should. */
export function asUser(session: Pick<DesktopSession, 'uid' | 'gid' | 'busAddress'>): string[] {
  return [
    'setpriv', `--reuid=${session.uid}`, `--regid=${session.gid}`, '--init-groups', '--reset-env', '--no-new-privs', '--',
    'env', `DBUS_SESSION_BUS_ADDRESS=${session.busAddress}`,
  ];
}

/**
 * A string as GVariant text, for gdbus's arguments. Always quote: gdbus parses each argument as GVariant text first
 * and takes it as a plain string only when that fails, so an unquoted 'quoted' arrives as quoted.
 */
export function gvariantString(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** argv of a Notify call with gdbus (libglib2.0-bin), hints typed as the spec wants: urgency is a byte. */
export function gdbusNotify(n: { app: string; summary: string; body: string; urgency?: 0 | 1 | 2; expireMs?: number; timeoutS?: number }): string[] {
  return [
    'gdbus', 'call', '--session', '--timeout', String(n.timeoutS ?? 5),
    '--dest', 'org.freedesktop.Notifications', '--object-path', '/org/freedesktop/Notifications',
    '--method', 'org.freedesktop.Notifications.Notify', '--', // -- : an expire timeout of -1 is not an option
    gvariantString(n.app), '0', "''", gvariantString(n.summary), gvariantString(n.body), '[]',
    `{'urgency': <byte ${n.urgency ?? 1}>}`, String(n.expireMs ?? -1),
  ];
}

async function run(exec: SandboxExec, args: string[]): Promise<string> {
  const r = await exec([NOTIFY_SESSION_SCRIPT, ...args], { timeoutMs: 60_000 });
  if (r.code !== 0) throw new Error(`notify-session ${args.join(' ')} failed (exit ${r.code}):\n${r.stderr}`);
  return r.stdout;
}

/** Logs a user in inside the sandbox: user, session, bus and recorder, ready when this resolves. */
export async function logIn(exec: SandboxExec, options: SessionOptions): Promise<DesktopSession> {
  assertNotifyPrerequisites();
  const args = ['up', options.user, String(options.uid)];
  if (options.type) args.push('--type', options.type);
  if (options.display !== undefined) args.push('--display', options.display);
  if (options.busPath) args.push('--bus', options.busPath);
  if (options.capabilities) args.push('--capabilities', options.capabilities.join(','));
  if (options.noRecorder) args.push('--no-recorder');
  const info = JSON.parse(await run(exec, args)) as Omit<DesktopSession, 'calls' | 'notifications' | 'waitForNotifications' | 'setReplyDelay' | 'logOut'>;
  let loggedOut: Promise<void> | undefined;
  const calls = async (): Promise<RecordedCall[]> =>
    (await run(exec, ['calls', options.user]))
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as RecordedCall);
  const notifications = async () => (await calls()).filter((c) => c.method === 'Notify');
  return {
    ...info,
    calls,
    notifications,
    async waitForNotifications(count, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const got = await notifications();
        if (got.length >= count) return got;
        if (Date.now() > deadline) throw new Error(`notify-session: ${got.length} of ${count} notifications after ${timeoutMs} ms: ${JSON.stringify(got)}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async setReplyDelay(ms) {
      await run(exec, ['delay', options.user, String(ms)]);
    },
    logOut: () => (loggedOut ??= run(exec, ['down', options.user]).then(() => undefined)),
  };
}

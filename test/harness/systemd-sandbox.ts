/**
 * Boot a real, throwaway systemd (PID 1 of private namespaces, see systemd-sandbox.sh) for end-to-end tests.
 *
 *   let sb: Sandbox;
 *   beforeAll(async () => { sb = await bootSystemd({ binds: [`${repo}:/src`] }); });
 *   afterAll(async () => { await sb?.stop(); });
 *   it('...', async () => { expect((await sb.exec(['systemctl', 'is-active', 'x.service'])).stdout).toBe('active\n'); });
 *
 * Callers must stop every instance in afterAll (or try/finally): afterAll also runs when a test fails.
 * As a safety net the instance is tied to this process: if it dies without stop(), the instance is
 * powered off within ~0.2 s and its cgroups are removed (--owner watchdog of the script).
 * Needs real root: throws (does not skip) when that or a required tool is missing.
 */
import { accessSync, constants, readFileSync } from 'node:fs';
import { constants as osConstants } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnCapture } from '../support/spawn.js';
import { installHint } from '../support/tools.js';

export const SANDBOX_SCRIPT = fileURLToPath(new URL('./systemd-sandbox.sh', import.meta.url));
export const SANDBOX_STATE = process.env.PVPN_SANDBOX_STATE || '/tmp/pvpn-gen-sandbox';

export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface ExecOptions {
  /** written to CMD's stdin (otherwise stdin is /dev/null) */
  input?: string;
  /** the command is SIGKILLed and exec() rejects after this long; default 30 s */
  timeoutMs?: number;
}

export interface Sandbox {
  readonly id: string;
  /** host pid of the instance's PID 1 (systemd) */
  readonly pid: number;
  /** the instance's cgroup directories on the host (one per hierarchy); stop() removes them */
  readonly cgroups: readonly string[];
  /** run argv as root in all namespaces of the instance, with a clean environment; resolves with its exit code */
  exec(argv: string[], opts?: ExecOptions): Promise<ExecResult>;
  /** clean poweroff (SIGKILL after 10 s), then remove the cgroups; idempotent */
  stop(): Promise<void>;
}

const REQUIRED_TOOLS = ['unshare', 'nsenter', 'setpriv', 'script', 'pivot_root', 'findmnt'];

/** Throws a clear error when the sandbox cannot work on this machine. */
export function assertSandboxPrerequisites(): void {
  if (process.getuid?.() !== 0) {
    throw new Error('systemd sandbox: the end-to-end tests must run as root (they boot systemd in namespaces)');
  }
  const dirs = [...(process.env.PATH ?? '').split(':'), '/usr/sbin', '/sbin'].filter(Boolean);
  const isExecutable = (file: string): boolean => {
    try {
      accessSync(file, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  };
  const missing = REQUIRED_TOOLS.filter((tool) => !dirs.some((dir) => isExecutable(join(dir, tool))));
  if (!isExecutable('/lib/systemd/systemd')) missing.push('/lib/systemd/systemd');
  if (missing.length > 0) {
    throw new Error(`systemd sandbox: missing ${missing.join(', ')} (${missing.map(installHint).join('; ')})`);
  }
}

async function runScript(args: string[], opts: ExecOptions & { ownGroup?: boolean } = {}): Promise<ExecResult> {
  // ownGroup: the command gets its own process group, so a timeout kills nsenter and CMD, not just bash
  const result = await spawnCapture('/bin/bash', [SANDBOX_SCRIPT, ...args], {
    ...(opts.input === undefined ? {} : { input: opts.input }),
    ...(opts.timeoutMs === undefined ? {} : { timeoutMs: opts.timeoutMs }),
    ownGroup: opts.ownGroup ?? false,
  });
  if (result.timedOut) throw new Error(`systemd sandbox: timed out after ${opts.timeoutMs} ms: ${args.join(' ')}\n${result.stderr}`);
  return { code: result.code ?? 128 + (result.signal ? osConstants.signals[result.signal] : 0), stdout: result.stdout, stderr: result.stderr };
}

/** Boot a fresh instance; `binds` are host paths "SRC[:DST]" bind-mounted read-write inside. */
export async function bootSystemd(opts: { binds?: string[] } = {}): Promise<Sandbox> {
  assertSandboxPrerequisites();
  const args = ['start', '--owner', String(process.pid), ...(opts.binds ?? []).flatMap((b) => ['--bind', b])];
  const started = await runScript(args);
  const id = started.stdout.trim();
  if (started.code !== 0 || !/^pvpn-\d+-[0-9a-f]+$/.test(id)) {
    throw new Error(`systemd sandbox: boot failed (exit ${started.code}):\n${started.stderr}`);
  }
  const state = join(SANDBOX_STATE, id);
  const pid = Number(readFileSync(join(state, 'pid'), 'utf8').trim());
  const cgroups = readFileSync(join(state, 'cgroups'), 'utf8').split('\n').filter(Boolean);
  let stopping: Promise<void> | undefined;
  return {
    id,
    pid,
    cgroups,
    exec: (argv, execOpts = {}) =>
      runScript(['exec', id, '--', ...argv], { ...execOpts, timeoutMs: execOpts.timeoutMs ?? 30_000, ownGroup: true }),
    stop: () =>
      (stopping ??= runScript(['stop', id]).then((r) => {
        if (r.code !== 0) throw new Error(`systemd sandbox: stop ${id} failed (exit ${r.code}):\n${r.stderr}`);
      })),
  };
}

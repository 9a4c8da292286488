/**
 * TypeScript side of the init-system machines (init-machine.sh and its dinit-, s6- and openrc-sandbox.sh): a throwaway
 * machine whose PID 1 is the real init, for end-to-end tests of pvpn-gen's dinit, s6 and OpenRC targets.
 *
 *   let m: InitMachine;
 *   beforeAll(async () => { m = await bootDinit({ binds: [repo] }); });
 *   afterAll(async () => { await m?.stop(); });
 *   it('...', async () => { expect(await m.sh('dinitctl is-started boot')).toMatchObject({ code: 0 }); });
 *
 * Callers must stop() every machine (afterAll runs when a test fails too); if the test process dies without it, the
 * machine is stopped within a second (--owner). Needs root; a missing tool or build is an error that says what to
 * install, never a skip. The inits Debian lacks come from ../shared/inits/build.sh, found through PVPN_INITS
 * (default /opt/pvpn-inits); s6-svscan, s6-log... from Debian's s6 and execline packages.
 */
import { readFileSync, writeFileSync, chmodSync } from 'node:fs';
import { constants as osConstants } from 'node:os';
import { fileURLToPath } from 'node:url';
import { spawnCapture } from '../support/spawn.js';
import type { ExecOptions, ExecResult } from './systemd-sandbox.js';

export type { ExecOptions, ExecResult };
export type InitKind = 'dinit' | 's6' | 'openrc';

export const INITS_PREFIX = process.env.PVPN_INITS || '/opt/pvpn-inits';
export const INITS_STATE = process.env.PVPN_INITS_STATE || '/tmp/pvpn-gen-inits';

export interface InitMachine {
  readonly id: string;
  readonly kind: InitKind;
  /** host pid of the machine's PID 1 (the init) */
  readonly pid: number;
  /** runs argv as root inside, with a clean environment (PATH, HOME, LANG, TERM) and / as working directory */
  exec(argv: readonly string[], opts?: ExecOptions): Promise<ExecResult>;
  /** `sh -c script` inside (Debian's dash) */
  sh(script: string, opts?: ExecOptions): Promise<ExecResult>;
  /** the host path of a path inside the machine (/proc/PID/root/...): read and write the machine's files from here */
  hostPath(path: string): string;
  /** writes a file inside the machine (its directory must exist), with its mode */
  writeFile(path: string, content: string | Uint8Array, mode?: number): void;
  readFile(path: string): Buffer;
  /** asks the init to stop every service and exit, then kills what is left; idempotent */
  stop(): Promise<void>;
}

async function runScript(script: string, args: readonly string[], opts: ExecOptions & { ownGroup?: boolean } = {}): Promise<ExecResult> {
  const result = await spawnCapture('/bin/bash', [script, ...args], {
    ...(opts.input === undefined ? {} : { input: opts.input }),
    ...(opts.timeoutMs === undefined ? {} : { timeoutMs: opts.timeoutMs }),
    ownGroup: opts.ownGroup ?? false,
  });
  if (result.timedOut) throw new Error(`${args.join(' ')}: timed out after ${opts.timeoutMs} ms\n${result.stderr}`);
  return { code: result.code ?? 128 + (result.signal ? osConstants.signals[result.signal] : 0), stdout: result.stdout, stderr: result.stderr };
}

/** Boots a machine of `kind`; `binds` are host paths made visible (read-write) at the same path inside. */
export async function bootMachine(kind: InitKind, opts: { binds?: readonly string[] } = {}): Promise<InitMachine> {
  if (process.getuid?.() !== 0) throw new Error(`${kind} machine: the tests must run as root (mount and PID namespaces)`);
  const script = fileURLToPath(new URL(`./${kind}-sandbox.sh`, import.meta.url));
  const started = await runScript(script, ['start', '--owner', String(process.pid), ...(opts.binds ?? []).flatMap((b) => ['--bind', b])], {
    timeoutMs: 60_000,
  });
  const id = started.stdout.trim();
  if (started.code !== 0 || !new RegExp(`^${kind}-\\d+-\\d+$`).test(id)) {
    throw new Error(`${kind} machine: boot failed (exit ${started.code}):\n${started.stderr}`);
  }
  const pid = Number(readFileSync(`${INITS_STATE}/${id}/pid`, 'utf8').trim());
  const hostPath = (path: string): string => {
    if (!path.startsWith('/')) throw new Error(`${kind} machine: not an absolute path: ${path}`);
    return `/proc/${pid}/root${path}`;
  };
  let stopping: Promise<void> | undefined;
  const exec = (argv: readonly string[], execOpts: ExecOptions = {}) =>
    runScript(script, ['exec', id, '--', ...argv], { ...execOpts, timeoutMs: execOpts.timeoutMs ?? 30_000, ownGroup: true });
  return {
    id,
    kind,
    pid,
    exec,
    sh: (text, execOpts) => exec(['sh', '-c', text], execOpts),
    hostPath,
    writeFile(path, content, mode = 0o644) {
      writeFileSync(hostPath(path), content, { mode });
      chmodSync(hostPath(path), mode); // an existing file keeps its mode otherwise
    },
    readFile: (path) => readFileSync(hostPath(path)),
    stop: () =>
      (stopping ??= runScript(script, ['stop', id], { timeoutMs: 60_000 }).then((r) => {
        if (r.code !== 0) throw new Error(`${kind} machine: stop ${id} failed (exit ${r.code}):\n${r.stderr}`);
      })),
  };
}

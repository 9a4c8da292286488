/**
 * Three throwaway hosts on this machine driven by ONE Ansible inventory (see fleet.sh), for the tests of the
 * Ansible export:
 *
 *   let fleet: Fleet;
 *   beforeAll(async () => { fleet = await bootFleet(); fleet.hostVars('staging', { pvpn_probe_target: 'runit' }); });
 *   afterAll(async () => { await fleet?.stop(); });
 *   it('...', async () => { const run = await fleet.playbook('site.yml'); expect(run.stats.runit?.changed).toBe(0); });
 *
 * staging: a root with nothing running (community.general.chroot); runit: runsvdir as PID 1; systemd: a booted
 * systemd 252. Every playbook runs with the json stdout callback; ansible-results.ts reads it.
 * Callers must stop() the fleet (afterAll runs when a test fails, too); if the test process dies without it, both
 * sandboxes stop by themselves (--owner). Needs root, ansible and the sandboxes' tools: throws (never skips).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnCapture } from '../support/spawn.js';
import { requireTool } from '../support/tools.js';
import { assertSandboxPrerequisites } from './systemd-sandbox.js';
import { parsePlaybookJson, type HostStats, type PlaybookJson } from './ansible-results.js';

const SCRIPT = fileURLToPath(new URL('./fleet.sh', import.meta.url));
const FLEET_STATE = process.env.PVPN_FLEET_STATE || '/tmp/pvpn-gen-fleet';

export type FleetHost = 'staging' | 'runit' | 'systemd';
export const FLEET_HOSTS: readonly FleetHost[] = ['staging', 'runit', 'systemd'];

export interface ExecResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface PlaybookRun extends ExecResult {
  /** the json callback's document; undefined when ansible-playbook stopped before any play (see stderr) */
  readonly json: PlaybookJson | undefined;
  /** PLAY RECAP per host (empty without json) */
  readonly stats: Readonly<Record<string, HostStats>>;
}

export interface Fleet {
  /** the fleet's state: inventory.json, host_vars/, staging/, Ansible's home and temp */
  readonly dir: string;
  /** what the plays wrote into the staging root, and only that (the overlay's upper directory) */
  readonly stagingUpper: string;
  /** the directory the runit host's runsvdir scans */
  readonly scanDir: string;
  /** run argv as root on HOST with a clean environment; resolves with its exit status */
  exec(host: FleetHost, argv: readonly string[], options?: { input?: string; timeoutMs?: number }): Promise<ExecResult>;
  /** set HOST's inventory variables (host_vars/HOST.json beside the inventory), replacing the previous ones */
  hostVars(host: FleetHost, vars: Record<string, unknown>): void;
  /** ansible-playbook -i <the fleet's inventory> PLAYBOOK ...args (e.g. --check --diff, --limit runit) */
  playbook(playbook: string, options?: { args?: readonly string[]; timeoutMs?: number }): Promise<PlaybookRun>;
  /** stop both sandboxes and remove the state; idempotent */
  stop(): Promise<void>;
}

/** Fails with the package to install when Ansible is missing (what the fleet tests need beyond the sandboxes). */
export function requireAnsible(): void {
  for (const tool of ['ansible-playbook', 'ansible-lint']) requireTool(tool);
  // Debian's ansible-core alone lacks the collections: the staging host's connection and the json callback
  requireTool('/usr/lib/python3/dist-packages/ansible_collections/community/general/plugins/connection/chroot.py');
  requireTool('/usr/lib/python3/dist-packages/ansible_collections/ansible/posix/plugins/callback/json.py');
}

async function runScript(args: readonly string[], options: { input?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<ExecResult> {
  const result = await spawnCapture('/bin/bash', [SCRIPT, ...args], { ...options, ownGroup: true });
  if (result.timedOut) throw new Error(`fleet: timed out after ${options.timeoutMs} ms: ${args.join(' ')}\n${result.stderr}`);
  return { code: result.code ?? 128, stdout: result.stdout, stderr: result.stderr };
}

/** ansible-lint --offline ARGS (e.g. --profile production, paths), hermetic like the playbooks: no fleet needed. */
export function ansibleLint(args: readonly string[]): Promise<ExecResult> {
  requireAnsible();
  return runScript(['lint', '--', ...args], { timeoutMs: 120_000 });
}

/** Boots the three hosts (the runit one scans `scanDir`, default /var/service: the Void layout). */
export async function bootFleet(options: { scanDir?: string } = {}): Promise<Fleet> {
  if (process.getuid?.() !== 0) throw new Error('the fleet needs root (namespaces, overlay mounts, nsenter)');
  requireAnsible();
  // the runit and systemd hosts are the two sandboxes, booted by fleet.sh
  for (const tool of ['runsvdir', 'runsv', 'sv', 'chpst', 'pgrep', 'ps']) requireTool(tool);
  assertSandboxPrerequisites();
  const scanDir = options.scanDir ?? '/var/service';
  mkdirSync(FLEET_STATE, { recursive: true });
  const wanted = join(FLEET_STATE, `fleet-${process.pid}-${Math.random().toString(16).slice(2, 8)}`);
  const started = await runScript(['start', wanted, '--owner', String(process.pid), '--scandir', scanDir], { timeoutMs: 90_000 });
  if (started.code !== 0) throw new Error(`fleet: start failed (exit ${started.code}):\n${started.stderr}`);
  const dir = started.stdout.trim();
  let stopping: Promise<void> | undefined;
  return {
    dir,
    stagingUpper: join(dir, 'staging/upper'),
    scanDir,
    exec: (host, argv, execOptions = {}) =>
      runScript(['exec', dir, host, '--', ...argv], { ...execOptions, timeoutMs: execOptions.timeoutMs ?? 30_000 }),
    hostVars(host, vars) {
      writeFileSync(join(dir, 'host_vars', `${host}.json`), JSON.stringify(vars, null, 2) + '\n');
    },
    async playbook(playbook, playOptions = {}) {
      const run = await runScript(['playbook', dir, '--', ...(playOptions.args ?? []), playbook], {
        timeoutMs: playOptions.timeoutMs ?? 240_000,
        env: { ...process.env, ANSIBLE_STDOUT_CALLBACK: 'json' },
      });
      const json = parsePlaybookJson(run.stdout);
      return { ...run, json, stats: json?.stats ?? {} };
    },
    stop: () =>
      (stopping ??= runScript(['stop', dir], { timeoutMs: 60_000 }).then((r) => {
        if (r.code !== 0) throw new Error(`fleet: stop failed (exit ${r.code}):\n${r.stderr}`);
      })),
  };
}

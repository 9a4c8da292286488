/** Carries out a plan's actions on the live system: the targets' commands, waits, and accounts. */
import { basename } from 'node:path';
import { OperationError } from '../errors.js';
import { describeAction } from '../plan/actions.js';
import type { Action } from '../targets/target.js';
import { exists, type Reader, type System } from './port.js';

export interface ActionOptions {
  /** how long to wait for runsv to start or stop a service */
  readonly waitMs?: number;
  /** a failure is reported here instead of thrown (stopping a service that is about to be removed) */
  readonly tolerate?: boolean;
  readonly onWarning?: (message: string) => void;
}


/**
 * Processes of `program` working in `cwd` (runsv of a service: it runs as `runsv NAME` in the service's
 * directory), by /proc.
 */
export function pidsOf(reader: Reader, program: string, cwd: string): number[] {
  const pids: number[] = [];
  for (const entry of reader.list('/proc') ?? []) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const argv = (reader.read(`/proc/${entry}/cmdline`)?.toString('utf8') ?? '').split('\0');
      if (basename(argv[0] ?? '') !== program || argv[1] !== basename(cwd)) continue;
      const dir = reader.readlink(`/proc/${entry}/cwd`).replace(/ \(deleted\)$/, '');
      if (dir === cwd) pids.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return pids;
}


export async function runAction(system: System, action: Action, options: ActionOptions = {}): Promise<void> {
  const waitMs = options.waitMs ?? 15_000;
  const fail = (message: string) => {
    if (options.tolerate) options.onWarning?.(message);
    else throw new OperationError(message);
  };
  switch (action.kind) {
    case 'exec': {
      const [program, ...args] = action.argv;
      const result = await system.run(program as string, args, action.env ? { env: { ...process.env, ...action.env } } : {});
      if (result.exitCode !== 0) fail(`${describeAction(action)} failed (exit ${result.exitCode}): ${(result.stdout + result.stderr).trim()}`);
      return;
    }
    case 'wait-paths': {
      if (!(await system.waitUntil(action.describe, () => action.paths.every((p) => exists(system, p)), waitMs))) fail(`${action.failure} (waited ${waitMs / 1000}s)`);
      return;
    }
    case 'wait-gone': {
      if (!(await system.waitUntil(action.describe, () => pidsOf(system, action.program, action.cwd).length === 0, waitMs))) fail(`${action.failure} (waited ${waitMs / 1000}s)`);
      return;
    }
    case 'ensure-group':
    case 'ensure-user':
    case 'remove-group':
    case 'remove-user': {
      const argv = accountCommand(action, await accountExists(system, action), nologin(system));
      if (!argv) return;
      // runit has no cgroups: a job's children that left its process group outlive `sv stop`. An account that
      // goes must take its processes with it (userdel refuses otherwise, and a later account given the same uid
      // would inherit them).
      if (action.kind === 'remove-user') await endProcessesOf(system, action.name, waitMs);
      const result = await system.run(argv[0] as string, argv.slice(1));
      if (result.exitCode !== 0) fail(`${describeAction(action)}: ${argv.join(' ')} failed (exit ${result.exitCode}): ${result.stderr.trim()}`);
      return;
    }
  }
}

export async function runActions(system: System, actions: readonly Action[], options: ActionOptions = {}): Promise<void> {
  for (const action of actions) await runAction(system, action, options);
}

async function endProcessesOf(system: System, user: string, waitMs: number): Promise<void> {
  const left = async () => (await system.run('pgrep', ['-u', user], { query: true })).exitCode === 0;
  if (!(await left())) return;
  await system.run('pkill', ['-KILL', '-u', user]);
  const deadline = system.now() + waitMs;
  while (!system.dryRun && (await left()) && system.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
}

type AccountAction = Extract<Action, { kind: 'ensure-user' | 'ensure-group' | 'remove-user' | 'remove-group' }>;

async function accountExists(system: System, action: AccountAction): Promise<boolean> {
  const database = action.kind.endsWith('user') ? 'passwd' : 'group';
  return (await system.run('getent', [database, action.name], { query: true })).exitCode === 0;
}

/** The shadow-utils command for an account action (the same on Artix, Void and Debian), or null: nothing to do. */
export function accountCommand(action: AccountAction, exists: boolean, shell = '/usr/sbin/nologin'): string[] | null {
  switch (action.kind) {
    case 'ensure-group':
      return exists ? null : ['groupadd', '--system', action.name];
    case 'ensure-user':
      // its own group of the same name, no home directory made (the service's directories are made where needed)
      return exists ? null : ['useradd', '--system', '--user-group', '--no-create-home', '--home-dir', action.home, '--shell', shell, action.name];
    case 'remove-user':
      return exists ? ['userdel', action.name] : null;
    case 'remove-group':
      return exists ? ['groupdel', action.name] : null;
  }
}

/** The distribution's nologin shell: /usr/sbin (Debian), /usr/bin (Arch/Artix), /sbin (Void). */
function nologin(reader: Reader): string {
  return ['/usr/sbin/nologin', '/usr/bin/nologin', '/sbin/nologin'].find((p) => reader.info(p) !== null) ?? '/bin/false';
}

/**
 * What the init-system machine tests share: the argv/environment probe inside a machine, polling inside it, and the
 * teardown check (no process of the machine's PID namespace, no state left).
 */
import { copyFileSync, chmodSync, existsSync, readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { buildProbe, parseProbeRecord, PROBE_SHM_RECORD, type ProbeRecord } from '../support/probe.js';
import { INITS_STATE, type InitMachine } from './init-machine.js';

/** Where the probe lives inside a machine; named probe-shm, so it writes PROBE_SHM_RECORD (the machine's /dev/shm). */
export const MACHINE_PROBE = '/usr/local/bin/probe-shm';

export function installProbe(machine: InitMachine): void {
  const probe = buildProbe();
  copyFileSync(probe.path, machine.hostPath(MACHINE_PROBE));
  chmodSync(machine.hostPath(MACHINE_PROBE), 0o755);
}

/** An empty, world-writable record file for the next probe run (the probe never creates it: see probe.c). */
export function resetProbe(machine: InitMachine): void {
  machine.writeFile(PROBE_SHM_RECORD, '', 0o666);
}

export function readProbe(machine: InitMachine): ProbeRecord {
  return parseProbeRecord(machine.readFile(PROBE_SHM_RECORD));
}

/** Polls a shell condition inside the machine (one exec, 50 ms steps); resolves with the condition's last output. */
export async function waitInside(machine: InitMachine, condition: string, seconds = 5): Promise<string> {
  const r = await machine.sh(`i=0; while [ $i -lt ${seconds * 20} ]; do if out=$(${condition}); then printf %s "$out"; exit 0; fi; sleep 0.05; i=$((i+1)); done; exit 1`);
  if (r.code !== 0) throw new Error(`${machine.kind} machine: still not true after ${seconds} s: ${condition}\n${r.stderr}`);
  return r.stdout;
}

/** host pids whose pid namespace is `ns` (e.g. "pid:[4026532301]") */
export function processesInPidNamespace(ns: string): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((name) => {
      try {
        return readlinkSync(`/proc/${name}/ns/pid`) === ns;
      } catch {
        return false; // gone meanwhile, or a zombie
      }
    })
    .map(Number);
}

/** Stops the machine and checks that nothing of it is left: its PID 1, any process of its namespace, its state. */
export async function expectCleanStop(machine: InitMachine, ns: string): Promise<number> {
  const started = performance.now();
  await machine.stop();
  const ms = performance.now() - started;
  expect(existsSync(`/proc/${machine.pid}`)).toBe(false);
  expect(processesInPidNamespace(ns)).toEqual([]);
  expect(existsSync(join(INITS_STATE, machine.id))).toBe(false);
  return ms;
}

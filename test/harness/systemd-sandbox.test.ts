// Smoke test of the systemd sandbox harness: one real instance, the features the e2e tests rely on,
// and a clean teardown (no PID 1, no process in its pid namespace, no cgroup, no state left).
import { existsSync, readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_STATE, bootSystemd } from './systemd-sandbox.js';
import type { Sandbox } from './systemd-sandbox.js';

/** host pids whose pid namespace is `ns` (e.g. "pid:[4026532301]") */
function processesInPidNamespace(ns: string): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((name) => {
      try {
        return readlinkSync(`/proc/${name}/ns/pid`) === ns;
      } catch {
        return false; // gone meanwhile
      }
    })
    .map(Number);
}

describe('systemd sandbox', () => {
  let sb: Sandbox;

  beforeAll(async () => {
    sb = await bootSystemd();
  });
  afterAll(async () => {
    await sb?.stop(); // also runs when a test failed; a no-op after the teardown test
  });

  it('boots to running (or degraded)', async () => {
    const r = await sb.exec(['systemctl', 'is-system-running']);
    expect(r.stdout.trim()).toMatch(/^(running|degraded)$/);
  });

  it('enforces MemoryMax= on a transient unit', async () => {
    const run = (size: string) =>
      sb.exec(['systemd-run', '--wait', '--pipe', '--quiet', '-p', 'MemoryMax=64M', 'sh', '-c',
        `head -c ${size} /dev/zero | tail | wc -c`, // tail buffers the whole NUL "line"
      ]);
    const small = await run('16M');
    expect(small).toMatchObject({ code: 0, stdout: '16777216\n' });
    const hog = await sb.exec(['systemd-run', '--wait', '--pipe', '--quiet', '-p', 'MemoryMax=64M', 'sh', '-c',
      'head -c 300M /dev/zero | tail >/dev/null',
    ]);
    expect(hog.code).toBe(128 + 9); // tail was OOM-killed inside the 64M cgroup
  });

  it('runs DynamicUser= services under a transient uid', async () => {
    const r = await sb.exec(['systemd-run', '--wait', '--pipe', '--quiet', '-p', 'DynamicUser=yes', 'id', '-u']);
    expect(r.code).toBe(0);
    expect(Number(r.stdout.trim())).toBeGreaterThan(0);
  });

  it('fires a timer installed in /etc/systemd/system', async () => {
    const write = (file: string, text: string) =>
      sb.exec(['sh', '-c', `cat > /etc/systemd/system/${file}`], { input: text });
    await write('pvpn-smoke.service', '[Service]\nType=oneshot\nExecStart=/bin/touch /run/pvpn-smoke.fired\n');
    await write('pvpn-smoke.timer', '[Timer]\nOnActiveSec=1s\nAccuracySec=100ms\n');
    const started = await sb.exec(['sh', '-c', 'systemctl daemon-reload && systemctl start pvpn-smoke.timer']);
    expect(started).toMatchObject({ code: 0, stderr: '' });
    const fired = await sb.exec(['sh', '-c',
      'for i in $(seq 60); do [ -e /run/pvpn-smoke.fired ] && break; sleep 0.05; done; ' +
        'systemctl show -P ActiveEnterTimestampMonotonic pvpn-smoke.timer; ' +
        'systemctl show -P ExecMainStartTimestampMonotonic pvpn-smoke.service; test -e /run/pvpn-smoke.fired',
    ]);
    expect(fired.code).toBe(0);
    const [armedUs, ranUs] = fired.stdout.trim().split('\n').map(Number);
    const delayMs = ((ranUs ?? 0) - (armedUs ?? 0)) / 1000;
    expect(delayMs).toBeGreaterThanOrEqual(1000);
    expect(delayMs).toBeLessThan(2000);
  });

  it('stops without leaving a process, cgroup or state behind', async () => {
    const pidNs = readlinkSync(`/proc/${sb.pid}/ns/pid`);
    expect(sb.cgroups.length).toBeGreaterThan(0);
    expect(sb.cgroups.every((dir) => existsSync(dir))).toBe(true);
    await sb.stop();
    expect(existsSync(`/proc/${sb.pid}`)).toBe(false);
    expect(processesInPidNamespace(pidNs)).toEqual([]);
    expect(sb.cgroups.filter((dir) => existsSync(dir))).toEqual([]);
    expect(existsSync(join(SANDBOX_STATE, sb.id))).toBe(false);
  });
});

/**
 * dinit's run scripts run as root next to jobs that do not: the attacks of runit-attacks.test.ts that apply to
 * dinit, from inside the services as their own users, under the real dinit 0.22 as PID 1 (test/harness/
 * dinit-sandbox.sh: a private mount and PID namespace on an overlay of the host). Each attack leaves a canary only
 * root could have made if it worked: a root-owned file or directory changed, a library loaded with euid 0
 * (test/security/evil.c), a secret copied. The suite fails when any attack succeeds.
 *
 *  - a nested directory of the service swapped for a link to /etc, then a restart by dinit, racing (nest);
 *  - LD_PRELOAD in the spec's environment and in the environment file, through timeout, prlimit, setpriv and
 *    bwrap (preload);
 *  - a credential source the job can replace, swapped for a link to /etc/shadow (secret); the copies go on stop;
 *  - lines that forge the run record, and terminal escapes for `pvpn-gen logs` (forge);
 *  - the job asks dinit to stop `boot` or another service (control: the socket is root's);
 *  - all of it again while pvpn-gen reinstalls and uninstalls.
 * Not applicable: the log attacks (dinit itself appends to /var/log/dinit/NAME.log, a directory only root writes;
 * there is no log user).
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { sleep, waitUntil } from '../e2e/runit-helpers.js';
import { bootDinit } from '../harness/dinit-sandbox.js';
import type { InitMachine } from '../harness/init-machine.js';
import { BIN, REPO } from '../support/paths.js';

const ATTACK = readFileSync(new URL('./attack.sh', import.meta.url), 'utf8');
const EVIL = readFileSync(new URL('./evil.c', import.meta.url), 'utf8');
const EVIL_SO = '/usr/local/lib/pvpn-evil.so';

const spec = (description = 'preloading') => `version: 1
services:
  atk-nest:
    description: nested directories
    command: [/usr/local/bin/pvpn-attack, nest, /var/lib/atk-nest]
    user: atk
    workingDirectory: /var/lib/atk-nest
    hardening: { writablePaths: [/var/lib/atk-nest/cache] }
    restart: always
  atk-preload:
    description: ${description}
    command: [/usr/local/bin/pvpn-attack, preload]
    user: atk
    interval: 1s
    environment: { LD_PRELOAD: ${EVIL_SO} }
    limits: { runtime: 30s, nofile: 100 }
  atk-preload-file:
    command: [/usr/local/bin/pvpn-attack, preload]
    user: atk
    interval: 1s
    environmentFile: /etc/atk/env
    sandbox: bwrap
    limits: { runtime: 30s }
  atk-secret:
    command: [/usr/local/bin/pvpn-attack, secret]
    user: atk-s
    interval: 1s
    credentials: { token: /etc/atk-secret/token }
  atk-forge:
    command: [/usr/local/bin/pvpn-attack, forge]
    user: atk
    interval: 1s
  atk-control:
    command: [/bin/sh, -c, 'dinitctl stop boot; dinitctl stop atk-forge; dinitctl -p /run/dinitctl unload atk-nest; echo "control: $?"']
    user: atk
    interval: 1s
`;

/** What no attack may change, hashed; and what no attack may create. */
const CANARIES = '/etc/passwd /etc/shadow /etc/group /etc/pvpn-canary-file';
const snapshot = `sha256sum ${CANARIES}; stat -c '%n %U:%G %a %F' /etc /etc/pvpn-canary-dir /etc/pvpn-canary-file /root /var/log/dinit; ls -A /etc/pvpn-canary-dir`;

describe('attacks from inside dinit services', () => {
  let m: InitMachine;
  const sh = (script: string) => m.exec(['sh', '-c', script]);
  const pvpn = (...args: string[]) => m.exec(['env', 'PVPN_GEN_RENDERER=silent', 'NO_COLOR=1', process.execPath, BIN, ...args], { timeoutMs: 90_000 });
  let pristine = '';
  let before = '';
  const run = async (script: string) => {
    const r = await sh(script);
    if (r.code !== 0) throw new Error(`${script}: exit ${r.code}\n${r.stdout}${r.stderr}`);
    return r.stdout;
  };
  /** Every canary as it was after the install (or before it); no library loaded as root; boot still up. */
  const expectCanariesIntact = async (as = before) => {
    expect(await run(snapshot)).toBe(as);
    expect((await sh('ls /etc/ld.so.preload /root/pvpn-preloaded-as-root 2>&1')).stdout).not.toMatch(/^\/(etc|root)\//m);
    expect((await sh('dinitctl is-started boot')).stdout).toBe('STARTED\n');
  };

  beforeAll(async () => {
    m = await bootDinit({ binds: [REPO] });
    await m.exec(['sh', '-c', 'cat > /usr/local/bin/pvpn-attack && chmod 755 /usr/local/bin/pvpn-attack'], { input: ATTACK });
    await m.exec(['sh', '-c', `cat > /tmp/evil.c && gcc -shared -fPIC -o ${EVIL_SO} /tmp/evil.c && chmod 755 ${EVIL_SO}`], { input: EVIL });
    await run(
      [
        'mkdir -p /etc/pvpn-canary-dir /etc/atk /etc/atk-secret /root/atk && chmod 755 /etc/pvpn-canary-dir /etc/atk-secret',
        'echo canary > /etc/pvpn-canary-file && chmod 644 /etc/pvpn-canary-file',
        `printf 'LD_PRELOAD=${EVIL_SO}\\n' > /etc/atk/env && chmod 600 /etc/atk/env`,
        'echo the-secret > /etc/atk-secret/token && chmod 600 /etc/atk-secret/token',
        'mkdir -p /tmp/atk-seen && chmod 1777 /tmp/atk-seen',
      ].join(' && '),
    );
    await m.exec(['sh', '-c', 'cat > /root/atk/pvpn-gen.yaml'], { input: spec() });
    pristine = await run(snapshot);
  }, 120_000);
  afterAll(async () => {
    await m?.stop();
  });

  test('install; every job runs as its own user', async () => {
    const r = await pvpn('--spec', '/root/atk/pvpn-gen.yaml', 'install', '--target', 'dinit', '--yes');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    before = await run(snapshot);
    await waitUntil('the jobs to have run', async () => (await sh('ls /tmp/atk-seen | wc -l')).stdout.trim() !== '0', 40_000);
    await expectCanariesIntact();
  }, 90_000);

  test("nest: a nested directory swapped for a link to /etc, restarted again and again, racing: /etc stays root's", async () => {
    await sleep(8_000);
    await expectCanariesIntact();
    expect(await run('stat -c %U:%a /var/lib/atk-nest')).toBe('atk:700\n');
    expect(await run('stat -c %U /etc/pvpn-canary-dir')).toBe('root\n');
    // dinit keeps restarting it: it never gives up (restart-limit-count = 0)
    expect(await run('dinitctl is-started atk-nest || true')).toMatch(/STARTED|STOPPED/);
    expect(await run('grep -c "daemon failed status=1" /var/lib/pvpn-gen/runs/atk-nest')).not.toBe('0\n');
  }, 120_000);

  test('preload: LD_PRELOAD from the spec and from the environment file reaches the job, never a root process', async () => {
    const uid = (await run('id -u atk')).trim();
    await waitUntil('the job to load the library', async () => (await sh(`test -s /tmp/pvpn-preloaded-as-${uid}`)).code === 0, 40_000);
    expect(await run(`cat /tmp/pvpn-preloaded-as-${uid}`)).toMatch(/pvpn-attack/);
    await expectCanariesIntact();
  }, 120_000);

  test("secret: the copy is the user's alone, on /run, and goes when the service stops", async () => {
    const dir = '/run/pvpn-gen/credentials/atk-secret';
    expect(await run(`stat -c '%U:%G %a' ${dir} ${dir}/token`)).toBe('root:atk-s 750\natk-s:root 400\n');
    await run('dinitctl stop atk-secret');
    await waitUntil('the copy to go', async () => (await sh(`test -e ${dir}`)).code !== 0, 40_000);
    await run('dinitctl start atk-secret');
    await waitUntil('the copy to come back', async () => (await sh(`test -e ${dir}/token`)).code === 0, 40_000);
  }, 120_000);

  test('secret: a source the job can replace, swapped for a link to /etc/shadow, is refused at the next start', async () => {
    await run('chown atk-s /etc/atk-secret');
    await waitUntil('the job to swap the source', async () => (await sh('test -L /etc/atk-secret/token')).code === 0, 40_000);
    await sh('dinitctl restart atk-secret');
    await waitUntil('the run script to refuse it', async () => (await sh('cat /var/log/dinit/atk-secret.log')).stdout.includes('refusing the credential'), 40_000);
    await sleep(2_000);
    const seen = await run('cat /tmp/atk-seen/* 2>/dev/null; ls -A /run/pvpn-gen/credentials/atk-secret 2>/dev/null; true');
    expect(seen).not.toMatch(/^root:/m);
    expect(seen).toMatch(/the-secret/);
    await expectCanariesIntact();
    const r = await pvpn('--spec', '/root/atk/pvpn-gen.yaml', 'install', '--target', 'dinit', '--yes');
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stderr).toContain('/etc/atk-secret/token holds secrets but is a symbolic link');
    await run('rm -f /etc/atk-secret/token && chown root /etc/atk-secret && echo the-secret > /etc/atk-secret/token && chmod 600 /etc/atk-secret/token');
  }, 120_000);

  test("forge: the job's own \"pvpn-gen: run finished\" lines do not reach status, and logs shows its escapes escaped", async () => {
    await waitUntil('two runs of atk-forge', async () => Number((await sh('grep -c "run failed" /var/lib/pvpn-gen/runs/atk-forge')).stdout.trim()) >= 2, 40_000);
    const r = await pvpn('status', '--json', 'atk-forge');
    const [status] = (JSON.parse(r.stdout) as { services: Array<{ lastRun: { outcome: string; status: number }; runs: Array<{ outcome: string }> }> }).services;
    expect(status?.lastRun).toMatchObject({ outcome: 'failed', status: 3 });
    expect(status?.runs.map((x) => x.outcome)).not.toContain('success');
    const logs = await sh(`script -qec 'env NO_COLOR=1 ${process.execPath} ${BIN} logs atk-forge -n 20' /dev/null`);
    expect(logs.stdout).toContain('\\x1b]0;owned\\x07\\x1b[2J');
    expect(logs.stdout).not.toContain('\u001b]0;owned');
  }, 120_000);

  test('control: a job cannot reach dinit (its socket is root\'s): boot and the other services stay up', async () => {
    await waitUntil('the control job to have tried', async () => (await sh('grep -c "control: " /var/log/dinit/atk-control.log')).stdout.trim() !== '0', 40_000);
    expect(await run('cat /var/log/dinit/atk-control.log')).toMatch(/dinitctl: connecting to socket: Permission denied|control: 1/);
    expect((await sh('dinitctl is-started atk-forge')).stdout).toBe('STARTED\n');
    await expectCanariesIntact();
  }, 60_000);

  test('reinstall while the attacks go on: the canaries hold', async () => {
    await m.exec(['sh', '-c', 'cat > /root/atk/pvpn-gen.yaml'], { input: spec('preloading, changed') });
    const r = await pvpn('--spec', '/root/atk/pvpn-gen.yaml', 'install', '--target', 'dinit', '--yes');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    await sleep(3_000);
    await expectCanariesIntact();
  }, 120_000);

  test('uninstall while the attacks go on: the canaries hold, and nothing root handed the jobs is left', async () => {
    const r = await pvpn('uninstall', '--yes');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    await expectCanariesIntact(pristine);
    expect((await sh('find /run/pvpn-gen -mindepth 2')).stdout).toBe('');
    expect((await sh('test -e /var/lib/pvpn-gen')).code).not.toBe(0);
    expect((await sh('dinitctl list')).stdout).toBe('[[+]     ] boot\n');
  }, 120_000);
});

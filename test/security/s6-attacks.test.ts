/**
 * The s6 run scripts run as root next to jobs that do not: the attacks of runit-attacks.test.ts, from inside the
 * services as their own users, under the real s6-svscan, s6-supervise and s6-rc (test/harness/s6-sandbox.sh: a
 * private mount and PID namespace on an overlay of the host, so /etc, /var/lib, /var/log are copies and /run and
 * /tmp are tmpfs), on Artix's s6-rc layout. Each attack
 * leaves a canary only root could have made if it worked: a root-owned file or directory changed, a library loaded
 * with euid 0 (test/security/evil.c), a secret copied. The suite fails when any attack succeeds.
 *
 * The attacks (issue "runit services must never hand root to their own user"):
 *  - a nested directory of the service swapped for a link to /etc, then a restart, with a racing loop (nest);
 *  - LD_PRELOAD in the spec's environment and in the environment file, through timeout and bwrap (preload);
 *  - the log user planting links as `current`, `state`, `lock`, and a race during rotation (log); a logger wedged
 *    by them (s6-log retries a failed rotation for ever, ignoring TERM) recovers at a restart;
 *  - a credential source the job can replace, swapped for a link to /etc/shadow (secret); the copies go on stop;
 *  - lines that forge the run record, and terminal escapes for `pvpn-gen logs` (forge);
 *  - all of it again while pvpn-gen reinstalls and uninstalls.
 * A local user's attacks on --root, the manifest, the journal and the spec search are in local-user-attacks.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { InitMachine } from '../harness/init-machine.js';
import { bootS6 } from '../harness/s6-sandbox.js';
import { BIN, REPO } from '../support/paths.js';
import { sleep, waitUntil } from '../e2e/runit-helpers.js';

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
    limits: { runtime: 30s }
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
  atk-log:
    command: [/usr/local/bin/pvpn-attack, chatter]
    user: atk
    interval: 1s
    logging: { maxSize: 4096, keep: 2 }
  atk-forge:
    command: [/usr/local/bin/pvpn-attack, forge]
    user: atk
    interval: 1s
`;

/** What no attack may change, hashed; and what no attack may create. */
const CANARIES = '/etc/passwd /etc/shadow /etc/group /etc/pvpn-canary-file';
const snapshot = `sha256sum ${CANARIES}; stat -c '%n %U:%G %a %F' /etc /etc/pvpn-canary-dir /etc/pvpn-canary-file /root; ls -A /etc/pvpn-canary-dir`;

describe('attacks from inside s6 services', () => {
  let m: InitMachine;
  const sh = (script: string, input?: string) => m.exec(['sh', '-c', script], input === undefined ? {} : { input });
  const pvpn = (...args: string[]) => m.exec(['env', 'PVPN_GEN_RENDERER=silent', 'NO_COLOR=1', process.execPath, BIN, ...args], { timeoutMs: 90_000 });
  const svc = '/run/service';
  /** the canaries before the install (the accounts it creates change /etc/passwd) and after it */
  let pristine = '';
  let before = '';
  const run = async (script: string) => {
    const r = await sh(script);
    if (r.code !== 0) throw new Error(`${script}: exit ${r.code}\n${r.stdout}${r.stderr}`);
    return r.stdout;
  };
  /** Every canary as it was after the install (or before it); no library loaded as root; s6-log never root. */
  const expectCanariesIntact = async (as = before) => {
    expect(await run(snapshot)).toBe(as);
    expect((await sh('ls /etc/ld.so.preload /root/pvpn-preloaded-as-root 2>&1')).stdout).not.toMatch(/^\/(etc|root)\//m);
    const loggers = await sh('for p in $(pgrep -x s6-log); do stat -c %U /proc/$p; done');
    for (const user of loggers.stdout.trim().split('\n').filter(Boolean)) expect(user).toBe('_s6-log');
  };

  beforeAll(async () => {
    m = await bootS6({ binds: [REPO] });
    await sh('cat > /usr/local/bin/pvpn-attack && chmod 755 /usr/local/bin/pvpn-attack', ATTACK);
    await sh(`cat > /tmp/evil.c && gcc -shared -fPIC -o ${EVIL_SO} /tmp/evil.c && chmod 755 ${EVIL_SO}`, EVIL);
    await run(
      [
        'mkdir -p /etc/pvpn-canary-dir /etc/atk /etc/atk-secret /root/atk && chmod 755 /etc/pvpn-canary-dir /etc/atk-secret',
        'echo canary > /etc/pvpn-canary-file && chmod 644 /etc/pvpn-canary-file',
        `printf 'LD_PRELOAD=${EVIL_SO}\\n' > /etc/atk/env && chmod 600 /etc/atk/env`,
        'echo the-secret > /etc/atk-secret/token && chmod 600 /etc/atk-secret/token',
        'mkdir -p /tmp/atk-seen && chmod 1777 /tmp/atk-seen',
      ].join(' && '),
    );
    await sh('cat > /root/atk/pvpn-gen.yaml', spec());
    pristine = await run(snapshot);
  }, 120_000);
  afterAll(async () => {
    await m?.stop();
  });

  test('install; every job runs as its own user and s6-log as _s6-log', async () => {
    const r = await pvpn('--spec', '/root/atk/pvpn-gen.yaml', 'install', '--target', 's6', '--yes');
    expect(r.code, r.stderr).toBe(0);
    before = await run(snapshot);
    await waitUntil('the jobs to have run', async () => (await sh('ls /tmp/atk-seen | wc -l')).stdout.trim() !== '0', 40_000);
    await waitUntil('s6-log of every service', async () => (await sh('pgrep -x s6-log | wc -l')).stdout.trim() === '6', 40_000);
    await expectCanariesIntact();
  }, 90_000);

  test('nest: a nested directory swapped for a link to /etc, restarted again and again, racing: /etc stays root\'s', async () => {
    // s6-supervise restarts the job every few seconds; each start prepares /var/lib/atk-nest and its cache again
    await sleep(8_000);
    await expectCanariesIntact();
    // the service's own directory is the user's; the nested one was made by the user, never chowned by root
    expect(await run('stat -c %U:%a /var/lib/atk-nest')).toBe('atk:700\n');
    expect(await run('stat -c %U /etc/pvpn-canary-dir')).toBe('root\n');
  }, 120_000);

  test('preload: LD_PRELOAD from the spec and from the environment file reaches the job, never a root process', async () => {
    const uid = (await run('id -u atk')).trim();
    await waitUntil('the job to load the library', async () => (await sh(`test -s /tmp/pvpn-preloaded-as-${uid}`)).code === 0, 40_000);
    // as the user: the job, and s6-softlimit or s6-envdir when env starts it as the job's last step (timeout, bwrap,
    // env, prlimit and s6-setuidgid as root come before the drop: the root canary below shows none of them loaded it)
    expect(await run(`cat /tmp/pvpn-preloaded-as-${uid}`)).toMatch(/pvpn-attack/);
    await expectCanariesIntact();
  }, 120_000);

  test('secret: the copy is the user\'s alone, on /run, and goes when the service stops', async () => {
    const dir = '/run/pvpn-gen/credentials/atk-secret';
    expect(await run(`stat -c '%U:%G %a' ${dir} ${dir}/token`)).toBe(`root:atk-s 750\natk-s:root 400\n`);
    await run(`s6-svc -wD -T 15000 -d ${svc}/atk-secret-srv`);
    await waitUntil('the copy to go', async () => (await sh(`test -e ${dir}`)).code !== 0, 40_000);
    await run(`s6-svc -u ${svc}/atk-secret-srv`);
    await waitUntil('the copy to come back', async () => (await sh(`test -e ${dir}/token`)).code === 0, 40_000);
  }, 120_000);

  test('secret: a source the job can replace, swapped for a link to /etc/shadow, is refused at the next start', async () => {
    // an admin's mistake: the secret's directory handed to the service's user; the job swaps the file for a link
    await run('chown atk-s /etc/atk-secret');
    await waitUntil('the job to swap the source', async () => (await sh('test -L /etc/atk-secret/token')).code === 0, 40_000);
    await sh(`s6-svc -r ${svc}/atk-secret-srv`); // fails: the service does not come up again
    await waitUntil('the run script to refuse it', async () => (await sh('cat /var/log/atk-secret/current')).stdout.includes('refusing the credential'), 40_000);
    await sleep(2_000);
    // nothing the job was ever handed is /etc/shadow
    const seen = await run('cat /tmp/atk-seen/* 2>/dev/null; ls -A /run/pvpn-gen/credentials/atk-secret 2>/dev/null; true');
    expect(seen).not.toMatch(/^root:/m);
    expect(seen).toMatch(/the-secret/);
    await expectCanariesIntact();
    // and pvpn-gen itself refuses to install with such a source
    const r = await pvpn('--spec', '/root/atk/pvpn-gen.yaml', 'install', '--target', 's6', '--yes');
    expect(r.code, `${await run('ls -l /etc/atk-secret')}${r.stdout}${r.stderr}`).toBe(1);
    expect(r.stderr).toContain('/etc/atk-secret/token holds secrets but is a symbolic link');
    // the admin puts it right again
    await run('rm -f /etc/atk-secret/token && chown root /etc/atk-secret && echo the-secret > /etc/atk-secret/token && chmod 600 /etc/atk-secret/token');
  }, 90_000);

  test('log: the log user plants links as current, state and lock; s6-log and its run script never write through them as root', async () => {
    const logDir = '/var/log/atk-log';
    expect(await run(`stat -c '%U %a' ${logDir}`)).toBe('_s6-log 750\n');
    // the job itself cannot even enter its log directory
    expect((await sh(`s6-setuidgid atk ls ${logDir}`)).code).not.toBe(0);
    // a compromised log user: links everywhere, then a restart of the logger (its run script runs as root again)
    await run(`cd ${logDir} && s6-setuidgid _s6-log sh -c 'rm -f current state lock && ln -s /etc/ld.so.preload current && ln -s /etc/passwd state && ln -s /etc/shadow lock'`);
    await run(`s6-svc -r ${svc}/atk-log-log || true`);
    // and a race while s6-log rotates every run (4 KB files, 12 KB per run); it ends before the admin steps in
    await run(`s6-setuidgid _s6-log sh -c 'i=0; while [ $i -lt 100 ]; do ln -sf /etc/ld.so.preload ${logDir}/current.tmp 2>/dev/null; mv -f ${logDir}/current.tmp ${logDir}/current 2>/dev/null; i=$((i+1)); done' >/dev/null 2>&1`);
    await expectCanariesIntact();
  }, 120_000);

  test('log: a logger the log user wedged with links (a rotation that retries for ever, ignoring TERM) recovers at a restart', async () => {
    const logDir = '/var/log/atk-log';
    // s6-log renamed the planted `current` link to `previous` at its rotation, and its chmod through it fails for
    // ever: it ignores the TERM of `s6-svc -r` until the rotation is done. A `previous` it cannot even stat (in
    // /root) and a `processed` directory would stop its next start as well.
    await run(`cd ${logDir} && s6-setuidgid _s6-log sh -c 'rm -f previous && ln -s /root/pvpn-nothing previous && mkdir -p processed'`);
    // the admin restarts the logger, without touching its directory: s6-svc -d kills it after timeout-kill
    await run(`s6-svc -wD -T 30000 -d ${svc}/atk-log-log && s6-svc -u ${svc}/atk-log-log`);
    await waitUntil('logging again', async () => (await sh(`test -f ${logDir}/current && ! test -L ${logDir}/current && test -n "$(find ${logDir} -newer ${logDir}/lock -name '@*.s')"`)).code === 0, 40_000).catch(async (e) => {
      throw new Error(`${e}\n${(await sh(`ls -la ${logDir}; s6-svstat ${svc}/atk-log-log ${svc}/atk-log-srv`)).stdout}`);
    });
    // the links were removed as the log user, never followed: the archives are s6-log's own files
    expect(await run(`find ${logDir} -mindepth 1 ! -type f`)).toBe('');
    expect(await run(`find ${logDir} -mindepth 1 ! -user _s6-log`)).toBe('');
    await expectCanariesIntact();
  }, 120_000);

  test('forge: the job\'s own "pvpn-gen: run finished" lines do not reach status, and logs shows its escapes escaped', async () => {
    await waitUntil('two runs of atk-forge', async () => Number((await sh('grep -c "run failed" /var/lib/pvpn-gen/runs/atk-forge')).stdout.trim()) >= 2, 40_000);
    const r = await pvpn('status', '--json', 'atk-forge');
    const [status] = (JSON.parse(r.stdout) as { services: Array<{ lastRun: { outcome: string; status: number }; runs: Array<{ outcome: string }> }> }).services;
    expect(status?.lastRun).toMatchObject({ outcome: 'failed', status: 3 });
    expect(status?.runs.map((x) => x.outcome)).not.toContain('success');
    // on a terminal (script(1) gives one): ESC and BEL shown as text, never sent
    const logs = await sh(`script -qec 'env NO_COLOR=1 ${process.execPath} ${REPO}/bin/pvpn-gen.js logs atk-forge -n 20' /dev/null`);
    expect(logs.stdout).toContain('\\x1b]0;owned\\x07\\x1b[2J');
    expect(logs.stdout).not.toContain('\u001b]0;owned');
  }, 120_000);

  test('reinstall while the attacks go on: the canaries hold', async () => {
    // a change that restarts one job (s6-rc-update, after a recompile); atk-nest keeps restarting by itself meanwhile, its racing loops running
    await sh('cat > /root/atk/pvpn-gen.yaml', spec('preloading, changed'));
    const r = await pvpn('--spec', '/root/atk/pvpn-gen.yaml', 'install', '--target', 's6', '--yes');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    await sleep(3_000);
    await expectCanariesIntact();
  }, 120_000);

  test('uninstall while the attacks go on: the canaries hold, and nothing root handed the jobs is left', async () => {
    const r = await pvpn('uninstall', '--yes');
    expect(r.code, r.stderr).toBe(0);
    // the accounts pvpn-gen created are gone again: /etc/passwd and /etc/shadow as they were before the install
    await expectCanariesIntact(pristine);
    expect((await sh('find /run/pvpn-gen -mindepth 2')).stdout).toBe('');
    expect((await sh('test -e /var/lib/pvpn-gen')).code).not.toBe(0);
  }, 120_000);
});

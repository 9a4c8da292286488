/**
 * The OpenRC target's run scripts run as root next to jobs that do not: the attacks of runit-attacks.test.ts that
 * apply to it, from inside the services, as their own users, under the real OpenRC (openrc-init as PID 1 of a
 * throwaway machine on an overlay of the host: test/harness/openrc-sandbox.sh), with the same canaries (a
 * root-owned file or directory changed, a library loaded with euid 0 (evil.c), a secret copied):
 *  - a nested directory of a daemon swapped for a link to /etc, restarted again and again by the run script (nest);
 *  - LD_PRELOAD in the spec's environment and in the environment file, through timeout and bwrap (preload);
 *  - a log directory once handed to the job's user, with links planted in it (log: root writes the log here);
 *  - a credential source the job can replace, swapped for a link to /etc/shadow (secret); the copies go on stop;
 *  - lines that forge the run record, and terminal escapes for `pvpn-gen logs` (forge);
 *  - all of it again while pvpn-gen reinstalls and uninstalls.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { InitMachine } from '../harness/init-machine.js';
import { bootOpenrc } from '../harness/openrc-sandbox.js';
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

describe('attacks from inside OpenRC services (openrc-init 0.63, supervise-daemon)', () => {
  let m: InitMachine;
  /** the canaries before the install (the accounts it creates change /etc/passwd) and after it */
  let pristine = '';
  let before = '';
  const sh = (script: string, input?: string) => m.exec(['sh', '-c', script], input === undefined ? {} : { input });
  const pvpn = (...args: string[]) =>
    m.exec(['env', 'PVPN_GEN_RENDERER=silent', 'NO_COLOR=1', process.execPath, BIN, '--spec', '/root/atk/pvpn-gen.yaml', ...args], { timeoutMs: 60_000 });
  const run = async (script: string) => {
    const r = await sh(script);
    if (r.code !== 0) throw new Error(`${script}: exit ${r.code}\n${r.stdout}${r.stderr}`);
    return r.stdout;
  };
  /** Every canary as it was after the install (or before it); no library loaded as root. */
  const expectCanariesIntact = async (as = before) => {
    expect(await run(snapshot)).toBe(as);
    expect((await sh('ls /etc/ld.so.preload /root/pvpn-preloaded-as-root 2>&1')).stdout).not.toMatch(/^\/(etc|root)\//m);
  };

  beforeAll(async () => {
    m = await bootOpenrc({ binds: [REPO] });
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

  test('install; every job runs as its own user, no root process but the scripts', async () => {
    const r = await pvpn('install', '--target', 'openrc', '--yes');
    expect(r.code, r.stderr).toBe(0);
    before = await run(snapshot);
    await waitUntil('the jobs to have run', async () => (await sh('ls /tmp/atk-seen | wc -l')).stdout.trim() !== '0', 40_000);
    expect(await run('ps -o user= -C pvpn-attack | sort -u')).not.toContain('root');
    await expectCanariesIntact();
  }, 90_000);

  test("nest: a nested directory swapped for a link to /etc, restarted again and again, racing: /etc stays root's", async () => {
    // the run script restarts the daemon every few seconds; each start prepares /var/lib/atk-nest and its cache
    await waitUntil('a few restarts', async () => Number((await sh('grep -c "daemon failed" /var/lib/pvpn-gen/runs/atk-nest')).stdout.trim()) >= 2, 60_000);
    await expectCanariesIntact();
    expect(await run('stat -c %U:%a /var/lib/atk-nest')).toBe('atk:700\n');
    expect(await run('stat -c %U /etc/pvpn-canary-dir')).toBe('root\n');
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
    await run('rc-service atk-secret stop');
    expect((await sh(`test -e ${dir}`)).code).not.toBe(0);
    await run('rc-service atk-secret start');
    await waitUntil('the copy to come back', async () => (await sh(`test -e ${dir}/token`)).code === 0, 40_000);
  }, 120_000);

  test('secret: a source the job can replace, swapped for a link to /etc/shadow, is refused at the next start', async () => {
    // an admin's mistake: the secret's directory handed to the service's user; the job swaps the file for a link
    await run('chown atk-s /etc/atk-secret');
    await waitUntil('the job to swap the source', async () => (await sh('test -L /etc/atk-secret/token')).code === 0, 40_000);
    await sh('rc-service atk-secret restart'); // the run script refuses, and supervise-daemon gives up on it
    await waitUntil('the run script to refuse it', async () => (await sh('cat /var/log/atk-secret/current')).stdout.includes('refusing the credential'), 40_000);
    await sleep(2_000);
    const seen = await run('cat /tmp/atk-seen/* 2>/dev/null; ls -A /run/pvpn-gen/credentials/atk-secret 2>/dev/null; true');
    expect(seen).not.toMatch(/^root:/m);
    expect(seen).toMatch(/the-secret/);
    await expectCanariesIntact();
    const r = await pvpn('install', '--target', 'openrc', '--yes');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('/etc/atk-secret/token holds secrets but is a symbolic link');
    await run('rm -f /etc/atk-secret/token && chown root /etc/atk-secret && echo the-secret > /etc/atk-secret/token && chmod 600 /etc/atk-secret/token');
    await run('rc-service atk-secret restart');
  }, 120_000);

  test('log: root writes the log in a directory of its own; once handed to the user, links planted there are refused', async () => {
    const logDir = '/var/log/atk-log';
    expect(await run(`stat -c '%U %a' ${logDir}`)).toBe('root 750\n');
    // the job cannot even enter its log directory
    expect((await sh(`setpriv --reuid=atk --regid=atk --init-groups ls ${logDir}`)).code).not.toBe(0);
    await waitUntil('a rotation', async () => (await sh(`test -f ${logDir}/current.1`)).code === 0, 40_000);
    // an admin's mistake: the directory handed to the user, who plants links as current and as a rotated file
    await run(`rc-service atk-log stop; chown atk ${logDir} && chmod 0700 ${logDir}`);
    await run(`setpriv --reuid=atk --regid=atk --init-groups sh -c 'cd ${logDir} && rm -f current current.1 && ln -s /etc/ld.so.preload current && ln -s /etc/passwd current.1'`);
    await sh('rc-service atk-log start');
    // the run script takes the directory back and refuses to log there (supervise-daemon retries it a few times)
    await sleep(5_000);
    expect(await run(`readlink ${logDir}/current ${logDir}/current.1`)).toBe('/etc/ld.so.preload\n/etc/passwd\n');
    expect(await run(`stat -c '%U %a' ${logDir}`)).toBe('root 750\n');
    await expectCanariesIntact();
    // the admin clears the links; logging resumes
    await run(`rm -f ${logDir}/current ${logDir}/current.1; rc-service atk-log stop; rc-service atk-log zap; rc-service atk-log start`);
    await waitUntil('logging again', async () => (await sh(`test -f ${logDir}/current && ! test -L ${logDir}/current`)).code === 0, 40_000);
    await expectCanariesIntact();
  }, 120_000);

  test('forge: the job\'s own "pvpn-gen: run finished" lines do not reach status, and logs shows its escapes escaped', async () => {
    await waitUntil('two runs of atk-forge', async () => Number((await sh('grep -c "run failed" /var/lib/pvpn-gen/runs/atk-forge')).stdout.trim()) >= 2, 40_000);
    const r = await pvpn('status', '--json', 'atk-forge');
    const [status] = (JSON.parse(r.stdout) as { services: Array<{ lastRun: { outcome: string; status: number }; runs: Array<{ outcome: string }> }> }).services;
    expect(status?.lastRun).toMatchObject({ outcome: 'failed', status: 3 });
    expect(status?.runs.map((x) => x.outcome)).not.toContain('success');
    const logs = await sh(`script -qec 'env NO_COLOR=1 ${process.execPath} ${BIN} --spec /root/atk/pvpn-gen.yaml logs atk-forge -n 20' /dev/null`);
    expect(logs.stdout).toContain('\\x1b]0;owned\\x07\\x1b[2J');
    expect(logs.stdout).not.toContain('\u001b]0;owned');
  }, 120_000);

  test('reinstall while the attacks go on: the canaries hold', async () => {
    await sh('cat > /root/atk/pvpn-gen.yaml', spec('preloading, changed'));
    const r = await pvpn('install', '--target', 'openrc', '--yes');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    await sleep(3_000);
    await expectCanariesIntact();
  }, 120_000);

  test('uninstall while the attacks go on: the canaries hold, and nothing root handed the jobs is left', async () => {
    const r = await pvpn('uninstall', '--yes');
    expect(r.code, r.stderr).toBe(0);
    await expectCanariesIntact(pristine);
    expect((await sh('find /run/pvpn-gen -mindepth 2')).stdout).toBe('');
    expect((await sh('find /var/lib/pvpn-gen')).stdout).toBe('');
    expect((await sh('pgrep -x supervise-daemon; pgrep -u atk,atk-s')).stdout).toBe('');
  }, 120_000);
});

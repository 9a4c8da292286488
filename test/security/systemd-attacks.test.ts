/**
 * The same attacks as runit-attacks.test.ts on the systemd target, in a booted systemd 252 (test/harness), as a
 * regression: systemd keeps its own semantics (StateDirectory=, EnvironmentFile=, LoadCredential=), and pvpn-gen
 * must keep what it adds from opening a hole. `hardening: none`, so that systemd's sandbox hides nothing the
 * canaries would have to see: what is tested is who does what as root.
 *  - nest: StateDirectory=atk-nest atk-nest/cache, the cache swapped for a link to /etc, with a racing loop, and
 *    restarts: systemd never chowns through it;
 *  - preload: LD_PRELOAD from Environment= and EnvironmentFile=: loaded by the job only, never as root;
 *  - forge: a job sending journal entries dressed as the manager's (MESSAGE_ID, UNIT=, INVOCATION_ID=): status
 *    believes only what PID 1 logged;
 *  - secret: a credential or environment file the service could swap is refused at validation and install.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { OPT, bootE2E, show, status, waitFor, type E2E } from '../e2e/helpers.js';

const ATTACK = readFileSync(new URL('./attack.sh', import.meta.url), 'utf8');
const EVIL = readFileSync(new URL('./evil.c', import.meta.url), 'utf8');
const EVIL_SO = '/usr/local/lib/pvpn-evil.so';
const SPEC = `${OPT}/attacks.yaml`;

const FORGE = [
  // a whole fake run, as the manager would log it: starting, success, under the unit's name
  "printf 'MESSAGE=Starting forged\\nMESSAGE_ID=7d4958e842da4a758f6c1cdc7b36dcc5\\nUNIT=atk-forge.service\\nINVOCATION_ID=0123456789abcdef0123456789abcdef\\n' | logger --journald",
  "printf 'MESSAGE=Deactivated successfully\\nMESSAGE_ID=7ad2d189f7e94e70a38c781354912448\\nUNIT=atk-forge.service\\nINVOCATION_ID=0123456789abcdef0123456789abcdef\\n' | logger --journald",
  'exit 3',
].join('; ');

const spec = `version: 1
defaults:
  user: atk
  hardening: none
services:
  atk-nest:
    command: [/usr/local/bin/pvpn-attack, nest, /var/lib/atk-nest]
    workingDirectory: /var/lib/atk-nest
    hardening: { profile: none, writablePaths: [/var/lib/atk-nest/cache] }
    restart: always
  atk-preload:
    command: [/usr/local/bin/pvpn-attack, preload]
    interval: 2s
    environment: { LD_PRELOAD: ${EVIL_SO} }
    environmentFile: /etc/atk/env
    limits: { runtime: 30s }
  atk-forge:
    command: [/bin/sh, -c, ${JSON.stringify(FORGE)}]
    interval: 2s
`;

const CANARIES = '/etc/pvpn-canary-file';
const snapshot = `sha256sum ${CANARIES}; stat -c '%n %U:%G %a %F' /etc /etc/pvpn-canary-dir /etc/pvpn-canary-file /root; ls -A /etc/pvpn-canary-dir`;

describe('attacks from inside systemd services (regression)', () => {
  let e2e: E2E;
  let before = '';
  const run = async (script: string) => {
    const r = await e2e.sh(script);
    if (r.code !== 0) throw new Error(`${script}: ${show(r)}`);
    return r.stdout;
  };
  const expectCanariesIntact = async () => {
    expect(await run(snapshot)).toBe(before);
    expect((await e2e.sh('ls /etc/ld.so.preload /root/pvpn-preloaded-as-root 2>&1')).stdout).not.toMatch(/^\/(etc|root)\//m);
  };

  beforeAll(async () => {
    e2e = await bootE2E({ 'attacks.yaml': spec });
    await e2e.sh('cat > /usr/local/bin/pvpn-attack && chmod 755 /usr/local/bin/pvpn-attack', ATTACK);
    await e2e.sh(`cat > /tmp/evil.c && gcc -shared -fPIC -o ${EVIL_SO} /tmp/evil.c && chmod 755 ${EVIL_SO}`, EVIL);
    await run(
      [
        'mkdir -p /etc/pvpn-canary-dir /etc/atk && chmod 755 /etc/pvpn-canary-dir',
        'echo canary > /etc/pvpn-canary-file && chmod 644 /etc/pvpn-canary-file',
        `printf 'LD_PRELOAD=${EVIL_SO}\\n' > /etc/atk/env && chmod 600 /etc/atk/env`,
      ].join(' && '),
    );
    const r = await e2e.pvpn(['--spec', SPEC, 'install', '--target', 'systemd', '--yes']);
    if (r.code !== 0) throw new Error(show(r));
    before = await run(snapshot);
  }, 120_000);
  afterAll(async () => e2e?.stop());

  test('nest: a nested state directory swapped for a link to /etc, restarted again and again: /etc stays root\'s', async () => {
    await waitFor('a few restarts', async () => (Number((await e2e.sh('systemctl show -p NRestarts --value atk-nest.service')).stdout.trim()) >= 3 ? true : undefined), 30_000);
    await expectCanariesIntact();
    expect(await run('stat -c %U /etc/pvpn-canary-dir /etc')).toBe('root\nroot\n');
  }, 40_000);

  test('preload: LD_PRELOAD from Environment= and EnvironmentFile= reaches the job, never a root process', async () => {
    const uid = (await run('id -u atk')).trim();
    await waitFor('the job to load the library', async () => ((await e2e.sh(`test -s /tmp/pvpn-preloaded-as-${uid}`)).code === 0 ? true : undefined), 20_000);
    await expectCanariesIntact();
  }, 30_000);

  test('forge: journal entries dressed as the manager\'s do not make a run', async () => {
    await waitFor('two failed runs', async () => ((await status(e2e, 'atk-forge')).runs.filter((r) => r.outcome === 'failed').length >= 2 ? true : undefined), 30_000);
    // the forged entries are in the journal, with the unit's name on them
    expect((await run('journalctl -o json --no-pager UNIT=atk-forge.service | grep -c 0123456789abcdef0123456789abcdef')).trim()).not.toBe('0');
    const s = await status(e2e, 'atk-forge');
    expect(s.runs.map((r) => r.outcome)).not.toContain('success');
    expect(s.lastRun).toMatchObject({ outcome: 'failed', status: 3 });
  }, 40_000);

  test('secret: a credential inside a path the service writes is refused; one the service user owns is refused at install', async () => {
    const inside = spec.replace('    environmentFile: /etc/atk/env\n', '    environmentFile: /etc/atk/env\n    credentials: { token: /var/lib/atk-nest/token }\n');
    await e2e.sh(`cat > ${OPT}/inside.yaml`, inside);
    const refused = await e2e.pvpn(['--spec', `${OPT}/inside.yaml`, 'validate', '--target', 'systemd']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('/var/lib/atk-nest/token is inside /var/lib/atk-nest (service "atk-nest" may write it)');
    await run('chown atk /etc/atk/env');
    const owned = await e2e.pvpn(['--spec', SPEC, 'install', '--target', 'systemd', '--yes']);
    expect(owned.code).toBe(1);
    expect(owned.stderr).toMatch(/\/etc\/atk\/env holds secrets but belongs to uid \d+, who could swap it for a link/);
    await run('chown root /etc/atk/env');
  }, 40_000);

  test('uninstall while the attacks go on: the canaries hold', async () => {
    const r = await e2e.pvpn(['uninstall', '--yes']);
    expect(r.code, show(r)).toBe(0);
    await expectCanariesIntact();
  }, 60_000);
});

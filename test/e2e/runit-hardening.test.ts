/**
 * runit hardening under the real runsv: the job runs as its (created) user with the rlimits of `limits` in force
 * and umask 077, reads a credential through $CREDENTIALS_DIRECTORY without being able to read the secret file
 * itself, and with `sandbox: bwrap` cannot write /etc and sees no network but loopback.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { bootRunit, type RunitSandbox } from '../harness/runit-sandbox.js';
import { REPO } from '../support/paths.js';
import { runitCommands } from './runit-helpers.js';

/** What the job reports about itself, `key=value` words, into its working directory's `report`. */
const PROBE = [
  // the report goes to the job's own directory: with bwrap, the rest of / (and /tmp is private) is out of reach
  'exec >"$PWD/report" 2>&1',
  'echo "uid=$(id -u) user=$(id -un) group=$(id -gn)"',
  'echo "nofile=$(ulimit -n) nproc=$(ulimit -p) data=$(ulimit -d) nice=$(cut -d" " -f19 /proc/self/stat)"',
  'echo "umask=$(umask)"',
  'echo "credential=$(cat "${CREDENTIALS_DIRECTORY:-/nonexistent}/token" 2>/dev/null || echo none)"',
  'echo "secret=$(cat /etc/pvpn-secret 2>/dev/null || echo denied)"',
  'if touch /etc/pvpn-probe 2>/dev/null; then echo etc=writable; else echo etc=read-only; fi',
  'if touch "$PWD/state" 2>/dev/null; then echo state=writable; else echo state=read-only; fi',
  'echo "interfaces=$(tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d " " | sort | tr "\\n" ,)"',
].join('\n');

const SPEC = `version: 1
services:
  limited:
    command: [/bin/sh, /usr/local/bin/pvpn-report, limited]
    interval: 1h
    user: pvpn-lim
    workingDirectory: /var/lib/limited
    limits: { memory: 256M, nofile: 512, nproc: 100 }
    nice: 5
    credentials: { token: /etc/pvpn-secret }
  boxed:
    command: [/bin/sh, /usr/local/bin/pvpn-report, boxed]
    interval: 1h
    user: pvpn-box
    workingDirectory: /var/lib/boxed
    sandbox: bwrap
    hardening: { network: false }
`;

describe('runit hardening under runsv', () => {
  let box: RunitSandbox;
  const { sh, pvpn } = runitCommands(() => box);
  const report = async (name: string): Promise<Record<string, string>> => {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const out = (await sh(`cat /var/lib/${name}/report 2>/dev/null`)).stdout;
      if (out.includes('interfaces=')) return Object.fromEntries(out.trim().split('\n').flatMap((l) => l.split(' ')).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
      if (Date.now() > deadline) throw new Error(`no report from ${name}: ${out}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  };

  beforeAll(async () => {
    box = bootRunit('/var/service', [REPO]);
    await sh('cat > /usr/local/bin/pvpn-report', PROBE);
    await sh('printf s3cret > /etc/pvpn-secret && chmod 600 /etc/pvpn-secret && mkdir -p /root/h && cat > /root/h/pvpn-gen.yaml', SPEC);
    const install = await pvpn('--spec', '/root/h/pvpn-gen.yaml', 'install', '--target', 'runit', '--layout', 'void', '--yes');
    if (install.code !== 0) throw new Error(`install failed: ${install.stdout}${install.stderr}`);
  }, 90_000);
  afterAll(() => box?.stop());

  test('the job runs as its own user, with the rlimits in force, umask 077, and its credential', async () => {
    const r = await report('limited');
    const uid = (await sh('id -u pvpn-lim')).stdout.trim();
    expect(r).toMatchObject({ uid, user: 'pvpn-lim', group: 'pvpn-lim', nofile: '512', nproc: '100', data: String(256 * 1024), nice: '5', umask: '0077' });
    expect(r.credential).toBe('s3cret');
    expect(r.secret).toBe('denied');
    expect(r.state).toBe('writable');
    expect(r.etc).toBe('read-only'); // not root: /etc is not its to write, even without a sandbox
  }, 30_000);

  test('with sandbox: bwrap, / is read-only, its state directory writable, and there is no network but lo', async () => {
    const r = await report('boxed');
    expect(r.user).toBe('pvpn-box');
    expect(r.etc).toBe('read-only');
    expect(r.state).toBe('writable');
    expect(r.interfaces).toBe('lo,');
  }, 30_000);

  test('uninstall removes the services and the users pvpn-gen created', async () => {
    const result = await pvpn('uninstall', '--yes');
    expect(result.code, result.stderr).toBe(0);
    expect((await sh('getent passwd pvpn-lim pvpn-box')).stdout).toBe('');
  }, 60_000);
});

/**
 * Lifecycle fields (issue 12) under the real runsv: start-up steps with one allowed to fail, a packaged 0644
 * environment file (/etc/default/NAME) read at start, and a conflicting service stopped when this one starts.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { bootRunit, type RunitSandbox } from '../harness/runit-sandbox.js';
import { REPO } from '../support/paths.js';
import { runitCommands, waitUntil as waitFor } from './runit-helpers.js';

const SPEC = `version: 1
services:
  lc:
    command: [/bin/sh, -c, 'printf "%s\\n" "$LC_VAR" > /tmp/ctl/env; exec sleep 1000']
    user: daemon
    environmentFiles: [/etc/default/lc]
    conflicts: [other.service]
    beforeStart:
      - { command: [/bin/false], ignoreFailure: true }
      - [/bin/sh, -c, 'echo ran >> /tmp/ctl/before']
  other:
    command: [/bin/sleep, "1000"]
    user: daemon
`;

describe('runit lifecycle fields', () => {
  let box: RunitSandbox;
  const { sh, pvpn } = runitCommands(() => box);
  const status = async (name: string) => (await sh(`sv status /etc/sv/${name}`)).stdout;

  beforeAll(async () => {
    box = bootRunit('/var/service', [REPO]);
    await sh('mkdir -p /tmp/ctl && chmod 0777 /tmp/ctl');
    await sh('mkdir -p /etc/default && printf "LC_VAR=packaged value\\n" > /etc/default/lc && chmod 0644 /etc/default/lc');
    await sh('mkdir -p /root/d && cat > /root/d/pvpn-gen.yaml', SPEC);
    const install = await pvpn('--spec', '/root/d/pvpn-gen.yaml', 'install', '--target', 'runit', '--layout', 'void', '--yes');
    if (install.code !== 0) throw new Error(`install failed: ${install.stdout}${install.stderr}`);
  }, 90_000);
  afterAll(() => box?.stop());

  test('a failing step allowed to fail does not stop the start; the next step and the daemon run', async () => {
    await waitFor('the daemon', async () => /^run: /.test(await status('lc')) && (await sh('cat /tmp/ctl/env 2>/dev/null')).stdout !== '');
    expect((await sh('cat /tmp/ctl/before')).stdout).toBe('ran\n');
  }, 30_000);

  test('the 0644 packaged environment file reaches the daemon', async () => {
    expect((await sh('cat /tmp/ctl/env')).stdout).toBe('packaged value\n');
  }, 30_000);

  test('starting it stops the conflicting service', async () => {
    // at install the two started together, so `other` may already be down: start it again first
    expect((await pvpn('start', 'other')).code).toBe(0);
    await waitFor('other up', async () => /^run: /.test(await status('other')));
    expect((await pvpn('restart', 'lc')).code).toBe(0);
    await waitFor('other stopped by the conflict', async () => /^down: /.test(await status('other')));
    expect(await status('lc')).toMatch(/^run: /);
  }, 30_000);
});

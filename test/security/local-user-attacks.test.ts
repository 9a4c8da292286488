/**
 * What a local user (mallory, no privileges) can try against pvpn-gen itself, run as root, in the runit sandbox
 * (its /etc is a copy: the accounts made here never reach the host):
 *  - a staging --root that mallory owns, or with a directory or link of hers on the way: refused, nothing written;
 *  - a manifest or journal that names paths outside the root (a forged or damaged record): refused, nothing removed;
 *  - a pvpn-gen.yaml planted where root's search for a spec would find it: refused, naming the file;
 *  - services whose derived user is somebody's existing account, or named root; paths that nest across services.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { bootRunit, type RunitSandbox } from '../harness/runit-sandbox.js';
import { REPO } from '../support/paths.js';
import { runitCommands } from '../e2e/runit-helpers.js';

const SPEC = `version: 1
services:
  job:
    command: [/bin/true]
    user: daemon
    interval: 1h
`;

describe('attacks by a local user on pvpn-gen run as root', () => {
  let box: RunitSandbox;
  const { sh, pvpn } = runitCommands(() => box);
  const run = async (script: string) => {
    const r = await sh(script);
    if (r.code !== 0) throw new Error(`${script}: exit ${r.code}\n${r.stdout}${r.stderr}`);
    return r.stdout;
  };
  /** install --root DIR of the plain spec, as root */
  const installInto = (dir: string) => pvpn('--spec', '/root/spec.yaml', 'install', '--root', dir, '--target', 'runit', '--layout', 'void', '--yes');

  beforeAll(async () => {
    box = bootRunit('/var/service', [REPO]);
    await run('useradd --system --no-create-home mallory');
    await sh('cat > /root/spec.yaml', SPEC);
    // a canary outside every root: no attack may change or remove it
    await run('mkdir -p /srv/victim && echo canary > /srv/victim/file');
  }, 60_000);
  afterAll(() => box?.stop());

  const victimIntact = async () => expect(await run('cat /srv/victim/file; ls -A /srv/victim')).toBe('canary\nfile\n');

  test('a staging root mallory owns is refused, and nothing is written into it', async () => {
    await run('mkdir -p /srv/stage-a && chown mallory /srv/stage-a');
    const r = await installInto('/srv/stage-a');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--root \/srv\/stage-a: \/srv\/stage-a belongs to uid \d+; another user could move files/);
    expect(await run('find /srv/stage-a')).toBe('/srv/stage-a\n');
  });

  test('a directory of hers inside a root-owned staging root is refused', async () => {
    await run('mkdir -p /srv/stage-b/etc && chown mallory /srv/stage-b/etc');
    const r = await installInto('/srv/stage-b');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('/srv/stage-b/etc belongs to uid');
    expect(await run('find /srv/stage-b | sort')).toBe('/srv/stage-b\n/srv/stage-b/etc\n');
  });

  test('a link on the way (she made it while she could) is never written through', async () => {
    await run('mkdir -p /srv/stage-c /srv/outside && ln -s /srv/outside /srv/stage-c/etc');
    const r = await installInto('/srv/stage-c');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('/srv/stage-c/etc is a symbolic link; pvpn-gen never writes through a link under --root');
    expect(await run('ls -A /srv/outside')).toBe('');
  });

  test('a manifest whose service directory leads outside the root: uninstall refuses, nothing is removed', async () => {
    await run('mkdir -p /srv/stage-d');
    expect((await installInto('/srv/stage-d')).code).toBe(0);
    const manifest = '/srv/stage-d/var/lib/pvpn-gen/manifests/default.json';
    await run(`sed -i 's#"serviceDir": "/etc/sv/job"#"serviceDir": "/etc/sv/../../srv/victim"#' ${manifest} && grep -q victim ${manifest}`);
    const r = await pvpn('uninstall', '--root', '/srv/stage-d', '--yes');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('the record of service "job" does not match its target\'s paths');
    await victimIntact();
  });

  test('a journal naming a path outside the root: refused before anything is rolled anywhere', async () => {
    await run('mkdir -p /srv/stage-e');
    expect((await installInto('/srv/stage-e')).code).toBe(0);
    const journal = JSON.stringify({ format: 1, txid: 'x', state: 'committed', summary: 'forged', ops: [{ op: 'unlink', path: '/srv/victim/file' }] });
    await sh('cat > /srv/stage-e/var/lib/pvpn-gen/journal.json', journal);
    const r = await installInto('/srv/stage-e');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('journal.json is damaged');
    await victimIntact();
  });

  test('a spec she planted in /tmp, found by root\'s search, is refused, naming it; --spec is the way to mean it', async () => {
    await run('mkdir -p /tmp/work && chmod 755 /tmp/work');
    await sh("chpst -u mallory sh -c 'cat > /tmp/pvpn-gen.yaml'", SPEC);
    const r = await sh(`cd /tmp/work && env NO_COLOR=1 PVPN_GEN_RENDERER=silent ${process.execPath} ${REPO}/bin/pvpn-gen.js install --target runit --layout void --yes`);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/refusing \/tmp\/pvpn-gen\.yaml, found by searching from \/tmp\/work: running as root, and \/tmp\/pvpn-gen\.yaml belongs to uid \d+/);
    expect(r.stderr).toContain('--spec /tmp/pvpn-gen.yaml');
    expect((await sh('test -e /etc/sv/job || test -e /var/lib/pvpn-gen')).code).not.toBe(0);
    // named explicitly, it is the admin's choice
    const named = await sh(`cd /tmp/work && ${process.execPath} ${REPO}/bin/pvpn-gen.js --spec /tmp/pvpn-gen.yaml validate`);
    expect(named.code).toBe(0);
  });

  test('a spec in a directory she can write (above a root-owned one) is refused too', async () => {
    await run('mkdir -p /srv/shared/sub && chmod 777 /srv/shared && echo \'{"name":"x"}\' > /srv/shared/package.json && chmod 644 /srv/shared/package.json');
    await sh('cat > /srv/shared/pvpn-gen.yaml', SPEC);
    const r = await sh(`cd /srv/shared/sub && ${process.execPath} ${REPO}/bin/pvpn-gen.js validate`);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('/srv/shared is writable by everyone, so another user could have put it there');
  });

  test('a service whose derived user is an existing account (www-data) is refused at install', async () => {
    await sh('cat > /root/www.yaml', 'version: 1\nservices:\n  www-data:\n    command: [/bin/true]\n    interval: 1h\n');
    const r = await pvpn('--spec', '/root/www.yaml', 'install', '--target', 'runit', '--layout', 'void', '--yes');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('the account www-data already exists and pvpn-gen did not create it');
    expect((await sh('test -e /etc/sv/www-data')).code).not.toBe(0);
  });

  test('a service named root without user: is refused; two services whose directories nest are refused', async () => {
    await sh('cat > /root/root.yaml', 'version: 1\nservices:\n  root:\n    command: [/bin/true]\n    interval: 1h\n');
    const root = await pvpn('--spec', '/root/root.yaml', 'validate', '--target', 'runit');
    expect(root.code).toBe(1);
    expect(root.stderr).toContain('a service named "root" without `user:` would run as root on runit');
    const nested = [
      'version: 1',
      'services:',
      '  a: { command: [/bin/true], interval: 1h, user: ua, workingDirectory: /var/lib/a }',
      '  b: { command: [/bin/true], interval: 1h, user: ub, workingDirectory: /var/lib/a/b }',
      '  c: { command: [/bin/true], interval: 1h, user: uc, workingDirectory: /var/log/c-logs, logging: { dir: /var/log/c-logs } }',
    ].join('\n');
    await sh('cat > /root/nested.yaml', nested);
    const r = await pvpn('--spec', '/root/nested.yaml', 'validate', '--target', 'runit');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('/var/lib/a (service "a") and /var/lib/a/b (service "b", another user) nest');
    expect(r.stderr).toContain('the log directory /var/log/c-logs overlaps /var/log/c-logs, which service "c" may write');
  });
});

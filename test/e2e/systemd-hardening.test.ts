// The default `hardening: strict` on a real systemd 252: a job must still do its work (state directory, config,
// environmentFile, loopback TCP, DNS of localhost) and must not do what the profile forbids (write the OS tree,
// /home, /root, other IP traffic with `network: loopback`, any socket but AF_UNIX with `network: false`, more
// memory than its limit). probe.py tries each thing and records the errno it got; the facts are printed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dump as stringify } from 'js-yaml';
import { ENV_FILE_DIFFERENCES, ENV_FILE_EXPECTED, ENV_FILE_TEXT } from '../support/env-file.js';
import { OPT, PYTHON, bootE2E, probeJob, records, show, status, waitFor, type E2E, type ProbeRecord } from './helpers.js';

const SPEC = `${OPT}/hardening.yaml`;
const PORT = 8765;
/** a second address on lo: any IP but loopback, to tell `network: loopback` from `network: true` */
const OTHER = '10.0.0.1';
const ETC = '/etc/pvpn-e2e';
const FILES = `config=${ETC}/config secret=${ETC}/secret groupcfg=${ETC}/group-config`;

/** what probe.py `checks` reads and connects to */
const CHECKS_ENV = { PROBE_FILES: FILES, PROBE_PORT: PORT, PROBE_OTHER_ADDR: OTHER };

const spec = {
  version: 1,
  project: 'hardening',
  defaults: { interval: '1h' }, // each job runs once, when install starts its timer
  services: {
    // strict (the default), a system user, loopback only, its own limits
    loopback: probeJob('loopback', 'checks', {
      description: 'strict, user daemon, network loopback',
      nice: 5,
      environment: CHECKS_ENV,
      environmentFile: `${ETC}/env`,
      limits: { memory: '64M' },
      hardening: { network: 'loopback' },
    }),
    // strict, a dynamic user, full network, a credential from a root-only file
    open: probeJob('open', 'checks', {
      description: 'strict, dynamic user, network true',
      dynamicUser: true,
      environment: CHECKS_ENV,
      environmentFile: `${ETC}/env`,
      credentials: { secret: `${ETC}/secret` },
      hardening: { network: true },
    }),
    // strict, no network at all
    offline: probeJob('offline', 'checks', { description: 'strict, user daemon, network false', environment: CHECKS_ENV, hardening: { network: false } }),
    // strict, with the syscalls knob giving back calls that ~@privileged @resources take away, and network: all
    tuned: probeJob('tuned', 'checks', {
      description: 'strict, syscalls knob, network all',
      environment: CHECKS_ENV,
      hardening: { network: 'all', syscalls: ['setpriority', 'chown', 'fchown', 'fchownat', 'lchown'] },
    }),
    // strict, above its memory limit
    hog: probeJob('hog', 'hog', {
      description: 'strict, 256 MiB under memory 64M',
      dynamicUser: true,
      environment: { PROBE_MIB: 256 },
      limits: { memory: '64M' },
    }),
    // a JIT runtime under strict (MemoryDenyWriteExecute=yes), and with the documented knob turning it off
    'node-strict': {
      description: 'node under strict',
      command: ['/usr/bin/node', '-e', "require('fs').writeFileSync('/var/lib/node-strict/ran', 'yes')"],
      user: 'daemon',
      workingDirectory: '/var/lib/node-strict',
    },
    'node-jit': {
      description: 'node, strict but MemoryDenyWriteExecute off',
      command: ['/usr/bin/node', '-e', "require('fs').writeFileSync('/var/lib/node-jit/ran', 'yes')"],
      user: 'daemon',
      workingDirectory: '/var/lib/node-jit',
      hardening: { systemd: { Service: { MemoryDenyWriteExecute: false } } },
    },
  },
};

type Checks = Record<string, string | number | number[] | null>;
type ChecksRecord = ProbeRecord & { checks: Checks };

describe('hardening: strict on a live systemd', () => {
  let e2e: E2E;
  const results = new Map<string, ChecksRecord>();
  const facts: string[] = [];

  beforeAll(async () => {
    e2e = await bootE2E({ 'hardening.yaml': stringify(spec) }, ['/usr/sbin/ip', '/usr/bin/node']);
    // config 0644, a root-only secret and env file 0600, a config readable by group daemon 0640
    const setup = await e2e.sh(
      [
        // As on a real host: systemd makes / shared at boot, but not in a container, and the harness made it
        // private; systemd 252 then sets up LoadCredential= in a mount that never reaches the service.
        'mount --make-rshared /',
        `mkdir -p ${ETC}`,
        `echo configured >${ETC}/config && chmod 0644 ${ETC}/config`,
        `echo root-only >${ETC}/secret && chmod 0600 ${ETC}/secret`,
        `echo for-group-daemon >${ETC}/group-config && chgrp daemon ${ETC}/group-config && chmod 0640 ${ETC}/group-config`,
        `ip addr add ${OTHER}/32 dev lo`,
        // somewhere for multicast to go, so that only the service's IP filter can stop it
        'ip link set lo multicast on',
        'ip route add 224.0.0.0/4 dev lo',
        // the listener: an unrestricted transient service on every address
        `systemd-run --quiet --unit=e2e-listener -p Type=exec ${PYTHON} -m http.server --bind 0.0.0.0 --directory ${OPT} ${PORT}`,
      ].join(' && '),
    );
    expect(setup.code, show(setup)).toBe(0);
    // the environment file both targets are compared on (test/support/env-file.ts), root-only
    const envFile = await e2e.sh(`umask 077 && cat >${ETC}/env`, ENV_FILE_TEXT);
    expect(envFile.code, show(envFile)).toBe(0);
    await waitFor('the listener', async () => {
      const r = await e2e.sb.exec([PYTHON, '-c', `import socket; socket.create_connection(('127.0.0.1', ${PORT}), timeout=1)`]);
      return r.code === 0 ? true : undefined;
    });
    const install = await e2e.pvpn(['--spec', SPEC, 'install', '--target', 'systemd', '--yes']);
    expect(install.code, show(install)).toBe(0);
    for (const name of ['loopback', 'open', 'offline', 'tuned']) {
      const [record] = await waitFor(`the checks of ${name}`, async () => {
        const found = await records<ChecksRecord>(e2e, `/var/lib/${name}`, 'checks');
        return found.length > 0 ? found : undefined;
      });
      results.set(name, record as ChecksRecord);
    }
  });
  afterAll(async () => {
    await e2e?.stop();
    if (results.size > 0) {
      const names = [...results.keys()];
      const keys = [...new Set(names.flatMap((n) => Object.keys(results.get(n)?.checks ?? {})))];
      const rows = keys.map((k) => `  ${k.padEnd(20)} ${names.map((n) => String(JSON.stringify(results.get(n)?.checks[k] ?? '-')).padEnd(26)).join(' ')}`);
      console.log(`strict hardening, observed (${names.join(' | ')}):\n${rows.join('\n')}\n${facts.map((f) => `  ${f}`).join('\n')}`);
    }
  });

  const check = (name: string, key: string) => results.get(name)?.checks[key];

  it('renders the strict profile (spot check of the unit the jobs ran under)', async () => {
    const unit = await e2e.sb.exec(['cat', '/etc/systemd/system/loopback.service']);
    for (const line of [
      'ProtectSystem=strict', 'ProtectHome=yes', 'PrivateTmp=yes', 'MemoryDenyWriteExecute=yes', 'ProcSubset=pid',
      'SystemCallFilter=@system-service', 'SystemCallFilter=~@privileged @resources', 'RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6',
      'IPAddressDeny=any', 'IPAddressAllow=localhost', 'StateDirectory=loopback', 'MemoryMax=64M', 'Nice=5',
    ]) {
      expect(unit.stdout.split('\n'), line).toContain(line);
    }
    const offline = await e2e.sb.exec(['cat', '/etc/systemd/system/offline.service']);
    expect(offline.stdout).toContain('PrivateNetwork=yes\n');
    expect(offline.stdout).toContain('RestrictAddressFamilies=AF_UNIX\n');
  });

  it('runs the job as its user, in its own state directory, which it can write (StateDirectory=)', async () => {
    const loopback = results.get('loopback') as ChecksRecord;
    expect(loopback.uid).toBe(1);
    expect(loopback.cwd).toBe('/var/lib/loopback');
    const open = results.get('open') as ChecksRecord;
    expect(open.uid).toBeGreaterThanOrEqual(61184); // DynamicUser= range 61184..65519
    expect(open.uid).toBeLessThanOrEqual(65519);
    expect(open.env.STATE_DIRECTORY).toBe('/var/lib/open');
    for (const name of ['loopback', 'open', 'offline']) {
      expect(check(name, 'write_state'), name).toBe('ok');
      expect(check(name, 'write_tmp'), name).toBe('ok'); // PrivateTmp=: a private, writable /tmp
      expect(check(name, 'write_var_tmp'), name).toBe('ok');
    }
    const link = await e2e.sb.exec(['readlink', '/var/lib/open']);
    expect(link.stdout.trim()).toBe('private/open'); // DynamicUser= keeps its state under /var/lib/private
    const status1 = await status(e2e, 'loopback');
    expect(status1.lastRun).toMatchObject({ outcome: 'success', status: 0 });
  });

  it('reads its config (world- or group-readable) and its environmentFile (root-only: systemd reads it as root)', () => {
    for (const name of ['loopback', 'open', 'offline']) {
      expect(check(name, 'read_config'), name).toBe('ok:configured');
      expect(check(name, 'read_secret'), name).toBe('EACCES'); // 0600 root: the job cannot, as designed
    }
    expect(check('loopback', 'read_groupcfg')).toBe('ok:for-group-daemon'); // 0640 root:daemon, User=daemon
    expect(check('open', 'read_groupcfg')).toBe('EACCES'); // a dynamic user is in no static group
    expect(check('loopback', 'env_file_value')).toBe('s3cret value');
    expect(check('open', 'env_file_value')).toBe('s3cret value');
    expect(check('open', 'read_credential')).toBe('ok:root-only'); // credentials: the way to a root-only file
    facts.push('0600 root files: EnvironmentFile= and LoadCredential= (credentials) work, a direct read is EACCES');
  });

  it('reads the environment file as runit\'s reader does in the common cases (test/support/env-file.ts)', () => {
    const env = (results.get('open') as ChecksRecord).env;
    for (const [name, value] of Object.entries(ENV_FILE_EXPECTED)) expect(env[name], name).toBe(value);
    // where runit's reader only approximates: systemd reads backslash escapes
    for (const [name, { systemd }] of Object.entries(ENV_FILE_DIFFERENCES)) expect(env[name], name).toBe(systemd);
  });

  it('cannot write the OS tree (ProtectSystem=strict) nor /home and /root (ProtectHome=yes)', () => {
    for (const name of ['loopback', 'open', 'offline']) {
      expect(check(name, 'write_etc'), name).toBe('EROFS');
      expect(check(name, 'write_usr'), name).toBe('EROFS');
      expect(check(name, 'write_var_lib'), name).toBe('EROFS');
      expect(['EACCES', 'EROFS', 'ENOENT']).toContain(check(name, 'write_home'));
      expect(['EACCES', 'EROFS', 'ENOENT']).toContain(check(name, 'write_root'));
      expect(check(name, 'list_home'), name).not.toMatch(/^ok:./); // nothing of /home is visible
    }
  });

  it('network: loopback reaches 127.0.0.1 but no other address (IPAddressDeny=any, IPAddressAllow=localhost)', () => {
    expect(check('loopback', 'tcp_127.0.0.1')).toBe('ok:HTTP/1.0 200 OK');
    expect(check('loopback', `tcp_${OTHER}`)).toMatch(/^(TimeoutError|EPERM|ETIMEDOUT)/); // the BPF filter drops the SYN
    expect(check('loopback', 'resolve_localhost')).toBe('127.0.0.1');
    // no AF_NETLINK in RestrictAddressFamilies=: getifaddrs() and the like fail, glibc's AI_ADDRCONFIG copes
    expect(check('loopback', 'netlink_socket')).toBe('EAFNOSUPPORT');
    expect(check('loopback', 'resolve_addrconfig')).toBe('127.0.0.1');
  });

  it('network: true reaches any unicast address, but under strict sends no multicast (IPAddressAllow= unicast ranges)', () => {
    expect(check('open', 'tcp_127.0.0.1')).toBe('ok:HTTP/1.0 200 OK');
    expect(check('open', `tcp_${OTHER}`)).toBe('ok:HTTP/1.0 200 OK');
    expect(check('open', 'udp_multicast')).toBe('EPERM'); // the cgroup BPF egress filter drops it
    expect(check('loopback', 'udp_multicast')).toBe('EPERM');
  });

  it('network: all sends multicast too', () => {
    expect(check('tuned', `tcp_${OTHER}`)).toBe('ok:HTTP/1.0 200 OK');
    expect(check('tuned', 'udp_multicast')).toBe('ok:5');
  });

  it('network: false has no IP socket at all (RestrictAddressFamilies=AF_UNIX, PrivateNetwork=yes)', () => {
    expect(check('offline', 'tcp_127.0.0.1')).toBe('EAFNOSUPPORT');
    expect(check('offline', 'resolve_localhost')).toBe('127.0.0.1'); // /etc/hosts still works
  });

  it('is killed above its memory limit (MemoryMax=), and not below it', async () => {
    expect(check('loopback', 'memory_limit')).toBe(String(64 * 1024 * 1024));
    expect(check('loopback', 'alloc_16mib')).toBe('ok:16777216');
    const s = await waitFor('the hog to fail', async () => {
      const got = await status(e2e, 'hog');
      return got.lastRun?.outcome === 'failed' ? got : undefined;
    });
    expect(s.lastRun?.detail).toBe('killed by SIGKILL');
    const limit = await e2e.sh('cat /var/lib/hog/hog-limit-*');
    expect(limit.stdout).toBe(String(64 * 1024 * 1024));
    expect(await records(e2e, '/var/lib/hog', 'hog')).toEqual([]);
  });

  it('facts of the strict profile a job may trip over (asserted, so that a change is noticed)', async () => {
    // Nice= is applied by systemd before the filter; the job itself cannot renice (SystemCallFilter=~@resources)
    expect(check('loopback', 'niceness')).toBe(5);
    expect(check('loopback', 'renice')).toBe('EPERM');
    // chown, even to its own uid (SystemCallFilter=~@privileged, SystemCallErrorNumber=EPERM)
    expect(check('loopback', 'chown_own_file')).toBe('EPERM');
    // ProcSubset=pid: no /proc/meminfo, /proc/cpuinfo...; ProtectProc=invisible: only its own user's processes
    expect(check('loopback', 'read_proc_meminfo')).toBe('ENOENT');
    expect(check('open', 'visible_pids')).toEqual([(results.get('open') as ChecksRecord).env.SYSTEMD_EXEC_PID].map(Number));
    facts.push('SystemCallFilter=~@resources: setpriority() is EPERM (Nice= works); ~@privileged: chown() is EPERM');
    // hardening.syscalls gives them back (its line comes after the deny line)
    expect(check('tuned', 'renice')).toBe('ok');
    expect(check('tuned', 'chown_own_file')).toBe('ok');
    const tuned = await e2e.sb.exec(['grep', '^SystemCallFilter=', '/etc/systemd/system/tuned.service']);
    expect(tuned.stdout).toBe('SystemCallFilter=@system-service\nSystemCallFilter=~@privileged @resources\nSystemCallFilter=setpriority chown fchown fchownat lchown\n');
    facts.push('ProcSubset=pid: /proc/meminfo is ENOENT; ProtectProc=invisible: other users\' processes hidden');

    // MemoryDenyWriteExecute=yes kills a JIT (node: SIGTRAP in V8 setup); the documented knob lets it run
    const strict = await waitFor('node under strict to fail', async () => {
      const got = await status(e2e, 'node-strict');
      return got.lastRun?.outcome === 'failed' ? got : undefined;
    });
    const jit = await waitFor('node with MemoryDenyWriteExecute off to succeed', async () => {
      const got = await status(e2e, 'node-jit');
      return got.lastRun?.outcome === 'success' ? got : undefined;
    });
    expect(jit.lastRun?.status).toBe(0);
    expect((await e2e.sb.exec(['cat', '/var/lib/node-jit/ran'])).stdout).toBe('yes');
    expect((await e2e.sb.exec(['test', '-e', '/var/lib/node-strict/ran'])).code).not.toBe(0);
    facts.push(`MemoryDenyWriteExecute=yes: node fails (${strict.lastRun?.detail ?? 'no detail'}); hardening.systemd.Service.MemoryDenyWriteExecute: false fixes it`);
  });
});

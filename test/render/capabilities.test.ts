/**
 * Every setting a target cannot express exactly gives a warning naming the setting and the target, and with
 * --strict it is an error that fails the command; exactly the matrix in src/render/capabilities.ts, nothing more.
 */
import { describe, expect, test } from 'vitest';
import { CAPABILITY_KEYS, capabilityGaps, capabilityOf } from '../../src/render/capabilities.js';
import type { TargetName } from '../../src/render/types.js';
import { ALL_TARGETS, TARGETS } from '../../src/targets/index.js';
import { cli } from '../support/cli.js';
import { specText, writeSpec } from '../support/specs.js';

/** A spec fragment that sets each key (on a service that otherwise sets nothing the matrix flags). */
const SETTING: Readonly<Record<string, string>> = {
  persistent: 'persistent: false',
  dynamicUser: 'dynamicUser: true',
  environmentFile: 'environmentFile: /etc/x.env',
  credentials: 'credentials: { token: /etc/x.token }',
  'limits.memory': 'limits: { memory: 64M }',
  'limits.cpu': 'limits: { cpu: "20%" }',
  'hardening.profile': 'hardening: basic',
  'hardening.network': 'hardening: { network: false }',
  'hardening.readOnlyPaths': 'hardening: { readOnlyPaths: [/srv/data] }',
  'hardening.capabilities': 'hardening: { capabilities: [CAP_NET_BIND_SERVICE] }',
  'hardening.syscalls': 'hardening: { syscalls: [ioprio_set] }',
  after: 'after: [network-online.target]',
  wants: 'wants: [network-online.target]',
  readiness: 'readiness: notify',
  forking: 'forking: { pidFile: /run/job.pid }',
  requires: 'requires: [db.service]',
  before: 'before: [nss-lookup.target]',
  environmentFiles: 'environmentFiles: [/etc/x.env]',
  directories: 'directories: { runtime: { paths: [job] } }',
  restartLimit: 'restartLimit: { burst: 3, interval: 1min }',
  timeouts: 'timeouts: { stop: 30s }',
  killMode: 'killMode: mixed',
  oneshot: 'oneshot: true',
  remainAfterExit: 'oneshot: true\nremainAfterExit: true',
  exitStatus: 'exitStatus: { success: [3] }',
  stopSignal: 'stopSignal: QUIT',
  reload: 'reload: { signal: USR1 }',
  beforeStart: 'beforeStart: [[/bin/true]]',
  stop: 'stop: [[/bin/true]]',
  afterStop: 'afterStop: [[/bin/true]]',
  documentation: 'documentation: ["man:job(8)"]',
  wantedBy: 'wantedBy: [graphical.target]',
  conflicts: 'conflicts: [ntpd.service]',
  logging: 'logging: { keep: 3 }',
  notify: 'notify: true',
  changedExitStatus: 'changedExitStatus: 3',
};

/** Daemon-only settings: the sketch's service is a periodic job unless it leaves the interval out. */
const DAEMON_ONLY = new Set(['readiness', 'forking', 'oneshot', 'remainAfterExit', 'reload', 'stopSignal', 'timeouts', 'exitStatus', 'restartLimit', 'beforeStart', 'stop', 'afterStop', 'killMode', 'wantedBy', 'conflicts']);
/** The lifecycle fields OpenRC, dinit and s6 refuse until they render them (src/targets/lifecycle-not-yet.ts). */
const NOT_YET = ['forking', 'oneshot', 'remainAfterExit', 'requires', 'environmentFiles', 'directories', 'reload', 'beforeStart', 'stop', 'afterStop'];
/** Settings a target refuses outright (an error without --strict too), with the reason. */
const REFUSED: Readonly<Record<string, string>> = {
  'forking:runit': 'runit cannot supervise a daemon that forks',
  ...Object.fromEntries(NOT_YET.flatMap((key) => (['openrc', 'dinit', 's6'] as const).map((t) => [`${key}:${t}`, `${key}: pvpn-gen does not render this for ${t} yet`]))),
};

const gaps = CAPABILITY_KEYS.flatMap((key) =>
  ALL_TARGETS.flatMap((target) => {
    const [support] = capabilityOf(target, key);
    return support === 'approximate' || support === 'none' ? [[key, target.name as TargetName, support] as const] : [];
  }),
);

function service(key: string): string {
  const fragment = SETTING[key];
  if (!fragment) throw new Error(`no test setting for ${key}: add one to SETTING`);
  // persistent only exists for calendar jobs; dynamicUser clashes with the sketch's user
  const schedule = key === 'persistent' ? 'calendar: daily' : '';
  return specText([
    {
      name: 'job',
      extra: [fragment, schedule].filter(Boolean).join('\n'),
      ...(key === 'dynamicUser' ? { user: null } : {}),
      ...(key === 'persistent' || DAEMON_ONLY.has(key) ? { interval: null } : {}),
    },
  ]);
}

describe('the capability matrix', () => {
  test('every target says how it does every setting', () => {
    for (const target of ALL_TARGETS) expect(Object.keys(target.capabilities).sort(), target.name).toEqual([...CAPABILITY_KEYS].sort());
  });

  test('has a warning case for every gap', () => {
    expect(gaps.length).toBeGreaterThanOrEqual(10);
    for (const [key] of gaps) expect(Object.keys(SETTING)).toContain(key);
  });

  test.each(gaps)('%s on %s (%s): a warning naming both, an error with --strict', async (key, target: TargetName, support) => {
    const file = writeSpec(service(key));
    const render = ['--spec', file, 'render', '--target', target];
    const warned = await cli(render);
    const refused = REFUSED[`${key}:${target}`];
    if (refused) {
      expect(warned.code).toBe(1);
      expect(warned.stderr).toContain(refused);
    } else expect(warned.code).toBe(0);
    const pointer = `/services/job/${key.replace('.', '/')}`;
    const expected = `warning: ${pointer}: ${key}: ${target} ${support === 'none' ? 'cannot express this' : 'only approximates this'}`;
    if (!refused) expect(warned.stderr).toContain(expected);
    const strict = await cli(['--strict', ...render]);
    expect(strict.code).toBe(1);
    if (!refused) expect(strict.stderr).toContain(expected.replace('warning:', 'error:'));
    expect(strict.stdout).toBe('');
  });

  test('a spec that sets nothing beyond a target\'s reach renders without warnings on both', async () => {
    const file = writeSpec(specText([{ name: 'job' }]));
    for (const target of ['systemd', 'runit']) {
      const result = await cli(['--strict', '--spec', file, 'render', '--target', target]);
      expect(result.code).toBe(0);
      expect(result.stderr).toBe('');
    }
  });

  // issue 12: none asks for nothing, which every target renders exactly; it used to warn on runit, failing --strict
  test('hardening: none is no gap on any target, hardening: basic is one where the profile is approximated', async () => {
    const none = writeSpec(specText([{ name: 'job', extra: 'hardening: none' }]));
    for (const target of ALL_TARGETS) {
      const result = await cli(['--strict', '--spec', none, 'render', '--target', target.name]);
      expect(result.stderr, target.name).not.toContain('hardening.profile');
      expect(result.code, target.name).toBe(0);
    }
    const basic = writeSpec(specText([{ name: 'job', extra: 'hardening: { profile: basic }' }]));
    expect((await cli(['--spec', basic, 'render', '--target', 'runit'])).stderr).toContain('hardening.profile: runit only approximates this');
  });

  test('with sandbox: bwrap, runit expresses network and path settings exactly', () => {
    const setKeys = new Set(['hardening.network', 'hardening.readOnlyPaths', 'hardening.writablePaths']);
    expect(capabilityGaps({ setKeys, sandbox: 'none' }, TARGETS.runit).map((g) => g.key)).toEqual(['hardening.network', 'hardening.readOnlyPaths']);
    expect(capabilityGaps({ setKeys, sandbox: 'bwrap' }, TARGETS.runit)).toEqual([]);
  });
});

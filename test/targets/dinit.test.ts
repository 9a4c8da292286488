/**
 * The dinit target's pure parts: the quoting of a service description's values, the parsing of `dinitctl status`,
 * detection, the manifest handle check, the actions around an install and the control commands. What they do on
 * the real dinit is proven in test/render/hostile-dinit.test.ts, test/e2e/dinit.test.ts and
 * test/security/dinit-attacks.test.ts.
 */
import { describe, expect, test } from 'vitest';
import { compileSpec } from '../../src/model/compile.js';
import { EscapeError, dinitCommandLine, dinitValue } from '../../src/render/escape.js';
import { renderSpec } from '../../src/render/render.js';
import { dinitActions } from '../../src/targets/dinit/actions.js';
import { detectDinit } from '../../src/targets/dinit/detect.js';
import { dinitHandleOk } from '../../src/targets/dinit/handle.js';
import { dinit } from '../../src/targets/dinit/index.js';
import { parseDinitStatus } from '../../src/targets/dinit/status.js';

describe('dinitValue', () => {
  test.each([
    ['plain', '"plain"'],
    ['', '""'],
    ['two  words', '"two  words"'],
    ['$HOME ${X} $$', '"$$HOME $${X} $$$$"'],
    ['a\\b "q"', '"a\\\\b \\"q\\""'],
    ["%n ' # ; `id` \t é", "\"%n ' # ; `id` \t é\""],
  ])('%j -> %s', (value, written) => {
    expect(dinitValue(value)).toBe(written);
  });

  test('refuses what dinit cannot hold: a newline, NUL; a command needs an absolute program', () => {
    expect(() => dinitValue('a\nb')).toThrow(EscapeError);
    expect(() => dinitValue('a\u0000b')).toThrow(/dinit value: .*NUL/);
    expect(() => dinitCommandLine(['bin/x'])).toThrow(/absolute path/);
    expect(dinitCommandLine(['/opt/it\'s $x/run', '-a'])).toBe('"/opt/it\'s $$x/run" "-a"');
  });
});

describe('parseDinitStatus', () => {
  test.each([
    ['Service: x\n    State: STARTED\n    Activation: explicitly started\n    Process ID: 12\n', { state: 'started', failed: false, pid: 12 }],
    ['Service: x\n    State: STOPPED\n', { state: 'stopped', failed: false }],
    ['Service: x\n    State: STOPPED (terminated; exited - status 3)\n', { state: 'stopped', failed: true }],
    ['Service: x\n    State: STOPPED (failed to start; exited - status 7)\n', { state: 'stopped', failed: true }],
    ['Service: x\n    State: STARTING\n', { state: 'starting', failed: false }],
    ['dinitctl: service not loaded.\n', { state: 'unknown', failed: false }],
  ])('%j', (text, parsed) => {
    expect(parseDinitStatus(text)).toEqual(parsed);
  });
});

describe('detectDinit', () => {
  const facts = (existing: string[], live = true, processes: string[][] = []) => ({ existing: new Set(existing), processes, live });
  test('the control socket tells that dinit runs', () => {
    expect(detectDinit(facts(['/run/dinitctl'], true, [['/usr/bin/dinit']]))).toMatchObject({ found: true, layout: null });
  });
  test('offline (--root): the boot service and its waits-for.d', () => {
    expect(detectDinit(facts(['/etc/dinit.d', '/etc/dinit.d/boot', '/etc/dinit.d/boot.d'], false))).toMatchObject({ found: true });
    expect(detectDinit(facts(['/etc/dinit.d', '/etc/dinit.d/boot', '/etc/dinit.d/boot.d'], true))).toMatchObject({ found: false });
  });
  test('nothing of dinit', () => {
    const d = detectDinit(facts([], true));
    expect(d.found).toBe(false);
    expect(d.reasons.join()).toContain('/run/dinitctl does not exist');
  });
});

const SPEC = JSON.stringify({ version: 1, services: { job: { command: ['/bin/true'], interval: '1h', user: 'daemon' }, d: { command: ['/bin/true'], user: 'daemon' } } });
const rendered = renderSpec(compileSpec(SPEC, 'spec.json'), { target: 'dinit' });
const [daemonHandle, jobHandle] = rendered.services;

describe('handle, actions, control', () => {
  test('a recorded handle must be exactly what render makes', () => {
    expect(jobHandle && dinitHandleOk(jobHandle, null)).toBe(true);
    expect(jobHandle && dinitHandleOk({ ...jobHandle, run: '/tmp/run' }, null)).toBe(false);
    expect(jobHandle && dinitHandleOk({ ...jobHandle, name: '../x' }, null)).toBe(false);
    expect(jobHandle && dinitHandleOk(jobHandle, 'artix')).toBe(false);
  });

  test('install adds to boot and wakes; a change reloads and wakes again; removal leaves boot, stops, unloads', () => {
    if (!jobHandle) throw new Error('no handle');
    const none = new Set<string>();
    expect(dinitActions({ added: [jobHandle], removed: [], changed: [], changedPaths: none }).after.map((a) => (a.kind === 'exec' ? a.argv.join(' ') : a.kind))).toEqual([
      'dinitctl add-dep waits-for boot job',
      'dinitctl wake job',
    ]);
    const changed = dinitActions({ added: [], removed: [], changed: [{ handle: jobHandle, paths: new Set(['/etc/pvpn-gen/dinit/job/run']) }], changedPaths: none });
    expect(changed.after.map((a) => (a.kind === 'exec' ? a.argv.join(' ') : a.kind))).toEqual(['dinitctl reload job', 'dinitctl stop job', 'dinitctl wake job']);
    const removed = dinitActions({ added: [], removed: [jobHandle], changed: [], changedPaths: none });
    expect(removed.before.map((a) => (a.kind === 'exec' ? a.argv.join(' ') : a.kind))).toEqual(['dinitctl rm-dep waits-for boot job', 'dinitctl stop job', 'dinitctl unload job']);
    expect(removed.after).toEqual([]);
  });

  test('control: dinitctl; run-now is HUP to a periodic job, nothing for a daemon; logs tail the logfile', () => {
    if (!jobHandle || !daemonHandle) throw new Error('no handle');
    expect(dinit.control(jobHandle, 'run-now')).toEqual({ argv: ['dinitctl', 'signal', 'HUP', 'job'] });
    expect(dinit.control(daemonHandle, 'run-now')).toBeNull();
    expect(dinit.control(daemonHandle, 'restart')).toEqual({ argv: ['dinitctl', 'restart', 'd'] });
    expect(dinit.logs(jobHandle, { follow: true, lines: 5 })).toEqual({ argv: ['tail', '-n', '5', '-F', '/var/log/dinit/job.log'] });
  });
});

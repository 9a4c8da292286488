/**
 * notify and changedExitStatus (issue 17), the pure parts: the spec's shape and defaults, what each target renders
 * for them, and the record `status` reads back. The deliveries themselves are proven end to end (test/e2e/notify.test.ts).
 */
import { describe, expect, test } from 'vitest';
import { compileSpec } from '../../src/model/compile.js';
import { SpecError } from '../../src/errors.js';
import { renderSpec } from '../../src/render/render.js';
import { gvariantString, lastNotificationOf } from '../../src/targets/sh-notify.js';
import { parseNotificationRecord } from '../../src/targets/status.js';

const job = (extra: string, schedule = '    interval: 1h\n') => `version: 1\nservices:\n  job:\n    command: [/bin/true]\n    user: job\n${schedule}${extra}`;
const model = (text: string) => compileSpec(text, 'job.yaml');
const problem = (text: string): string => {
  try {
    model(text);
  } catch (error) {
    if (error instanceof SpecError) return error.problems.map((p) => `${p.pointer}: ${p.message}`).join('\n');
    throw error;
  }
  return 'no problem';
};
const file = (text: string, target: 'runit' | 'systemd', path: string): string => {
  const entry = renderSpec(model(text), { target, layout: target === 'runit' ? 'void' : undefined }).entries.find((e) => e.path === path);
  if (entry?.kind !== 'file') throw new Error(`no file ${path}`);
  return entry.content;
};

describe('the spec', () => {
  test.each([
    ['absent: nobody is told', '', null],
    ['false: nobody is told', '    notify: false\n', null],
    ['true: the defaults', '    notify: true\n', { events: ['failure', 'recovery', 'changed'], desktop: true, command: null }],
    ['events in a fixed order, whatever the spec order', '    notify: { on: [success, failure] }\n', { events: ['failure', 'success'], desktop: true, command: null }],
    ['a command only', '    notify: { desktop: false, command: [/usr/bin/mail, root] }\n', { events: ['failure', 'recovery', 'changed'], desktop: false, command: ['/usr/bin/mail', 'root'] }],
  ])('notify %s', (_what, extra, expected) => {
    expect(model(job(extra)).services[0]?.notify).toEqual(expected);
  });

  test('set in defaults, it reaches the periodic jobs and daemons ignore it', () => {
    const text = 'version: 1\ndefaults:\n  notify: true\n  changedExitStatus: 3\nservices:\n  job:\n    command: [/bin/true]\n    interval: 1h\n  daemon:\n    command: [/bin/true]\n';
    const [daemon, periodic] = model(text).services;
    expect(daemon).toMatchObject({ name: 'daemon', notify: null, changedExitStatus: null });
    expect(periodic).toMatchObject({ name: 'job', changedExitStatus: 3, notify: { desktop: true } });
  });

  test('changedExitStatus is kept', () => {
    expect(model(job('    changedExitStatus: 3\n')).services[0]?.changedExitStatus).toBe(3);
  });

  test.each([
    ['notify on a daemon', job('    notify: true\n', ''), 'notify applies to periodic jobs'],
    ['changedExitStatus on a daemon', job('    changedExitStatus: 3\n', ''), 'changedExitStatus applies to periodic jobs'],
    ['nowhere to send', job('    notify: { desktop: false }\n'), 'notify has nowhere to send'],
    ['changed without changedExitStatus', job('    notify: { on: [changed] }\n'), 'notify on changed needs changedExitStatus'],
    ['an unknown event', job('    notify: { on: [sometimes] }\n'), 'one of failure, recovery, changed, success, skipped'],
    ['exit status 0', job('    changedExitStatus: 0\n'), 'from 1 to 254'],
    ['exit status 255', job('    changedExitStatus: 255\n'), 'from 1 to 254'],
    ['a relative command', job('    notify: { command: [mail] }\n'), 'absolute path'],
  ])('refused: %s', (_what, text, message) => {
    expect(problem(text)).toContain(message);
  });
});

describe('runit', () => {
  const run = (extra: string) => file(job(extra), 'runit', '/etc/sv/job/run');

  test('without notify the loop has no notification code, and only exit 0 is success', () => {
    const script = run('');
    expect(script).not.toContain('notify');
    expect(script).toContain('if [ "$status" -eq 0 ]; then\n\t\trecord "run finished status=0');
  });

  test('changedExitStatus counts as success in the loop', () => {
    expect(run('    changedExitStatus: 3\n')).toContain('if [ "$status" -eq 0 ] || [ "$status" -eq 3 ]; then\n\t\trecord "run finished status=$status');
  });

  test('the loop hands every outcome to the detached helper, which knows the events and the command', () => {
    const script = run('    changedExitStatus: 3\n    notify: { on: [failure, changed], command: [/usr/bin/mail, root] }\n');
    expect(script).toContain("notify_events=' ''failure changed'' '");
    expect(script).toContain('notify_detached success "$status"');
    expect(script).toContain('notify_detached failure "$status"');
    expect(script).toContain("\"$chpst\" '/usr/bin/mail' 'root') </dev/null");
    expect(script).toContain('(notify_run "$@" </dev/null &)');
  });

  test('desktop: false leaves the desktop delivery out', () => {
    expect(run('    notify: { desktop: false, command: [/usr/bin/mail] }\n')).not.toContain('org.freedesktop.Notifications');
  });
});

describe('systemd', () => {
  const unit = (extra: string, name = 'job.service') => file(job(extra), 'systemd', `/etc/systemd/system/${name}`);

  test('a change is a success: SuccessExitStatus=', () => {
    expect(unit('    changedExitStatus: 3\n')).toContain('SuccessExitStatus=SIGTERM\nSuccessExitStatus=3\n');
  });

  test.each([
    ['failure only: OnFailure= alone', '    notify: { on: [failure] }\n', ['OnFailure=job-notify@failure.service'], ['OnSuccess=']],
    ['recovery sees failures and successes', '    notify: { on: [recovery] }\n', ['OnFailure=job-notify@failure.service', 'OnSuccess=job-notify@success.service'], []],
    ['success only: OnSuccess= alone', '    notify: { on: [success] }\n', ['OnSuccess=job-notify@success.service'], ['OnFailure=']],
  ])('%s', (_what, extra, present, absent) => {
    const text = unit(extra);
    for (const line of present) expect(text).toContain(line);
    for (const line of absent) expect(text).not.toContain(line);
  });

  test('the notification unit: the helper as root (+), the command as the service user', () => {
    const text = unit('    notify: { command: [/usr/bin/mail, root] }\n', 'job-notify@.service');
    expect(text).toMatch(/^ExecStart=-\+"\/bin\/sh" "-c" ".*notify_run.*" "job-notify" %i$/m);
    expect(text).toMatch(/^ExecStart=-"\/bin\/sh" "-c" ".*NOTIFY_EVENT.*" "job-notify" "\/usr\/bin\/mail" "root"$/m);
    expect(text).toContain('\nUser=job\n');
    expect(unit('    notify: true\n', 'job-notify@.service')).not.toContain('User=');
  });

  test('the handle names the two instances, which stop and journalctl take', () => {
    const handle = renderSpec(model(job('    notify: true\n')), { target: 'systemd' }).services[0] as unknown as { units: string[] };
    expect(handle.units).toEqual(expect.arrayContaining(['job-notify@failure.service', 'job-notify@success.service']));
  });
});

describe('text', () => {
  test.each([
    ['plain', "'plain'"],
    [`it's`, `'it\\'s'`],
    ['back\\slash \\u00e9', `'back\\\\slash \\\\u00e9'`],
  ])('GVariant string of %s', (input, expected) => {
    expect(gvariantString(input)).toBe(expected);
  });

  test('the record of the last notification, as status reads it', () => {
    expect(parseNotificationRecord('1764851484 failure desktop=alice,bob command=0\n')).toEqual({
      at: '2025-12-04T12:31:24.000Z', event: 'failure', desktop: ['alice', 'bob'], command: 0,
    });
    expect(parseNotificationRecord('1764851484 changed desktop= command=\n')).toEqual({ at: '2025-12-04T12:31:24.000Z', event: 'changed', desktop: [] });
    expect(parseNotificationRecord('garbage')).toBeUndefined();
    expect(parseNotificationRecord(null)).toBeUndefined();
    expect(lastNotificationOf('job', { read: (p: string) => (p === '/var/lib/pvpn-gen/notify/job.sent' ? '1 success desktop=a command=' : null) })).toEqual({
      lastNotification: { at: '1970-01-01T00:00:01.000Z', event: 'success', desktop: ['a'] },
    });
  });
});

/**
 * The lifecycle fields (daemon types, dependencies, environment files, directories, restart, stop and reload
 * details): what they may be combined with, and what a target that cannot express one says. The renderings
 * themselves are the golden trees of fixtures/lifecycle.yaml, checked by the real validators.
 */
import { describe, expect, test } from 'vitest';
import { SpecError } from '../../src/errors.js';
import { compileSpec } from '../../src/model/compile.js';
import { renderSpec } from '../../src/render/render.js';

function problems(service: string, target: 'systemd' | 'runit' = 'systemd'): string[] {
  const text = `version: 1\nservices:\n  job:\n    command: [/usr/bin/true]\n    user: svc\n${service.replace(/^/gm, '    ')}\n`;
  try {
    renderSpec(compileSpec(text, 'spec.yaml'), { target });
    return [];
  } catch (error) {
    if (!(error instanceof SpecError)) throw error;
    return error.problems.map((p) => `${p.pointer}: ${p.message}`);
  }
}

describe('lifecycle fields', () => {
  test.each([
    ['interval: 1h\nreadiness: notify', '/services/job/readiness: readiness only applies to daemons'],
    ['interval: 1h\nreload: { signal: HUP }', '/services/job/reload: reload only applies to daemons'],
    ['readiness: notify\noneshot: true', '/services/job/oneshot: set only one of readiness, forking and oneshot'],
    ['remainAfterExit: true', '/services/job/remainAfterExit: remainAfterExit applies to oneshot services'],
    ['oneshot: true\nrestart: always', '/services/job/restart: a oneshot job cannot be restarted'],
    ['environmentFile: /etc/a.env\nenvironmentFiles: [/etc/b.env]', '/services/job/environmentFiles: set either environmentFile or environmentFiles'],
    ['environmentFiles: [/etc/b.env, { path: /etc/b.env, optional: true }]', '/services/job/environmentFiles: environmentFiles lists /etc/b.env twice'],
    ['timeouts: { stop: 0 }', '/services/job/timeouts: timeouts.stop must be longer than 0'],
    ['directories: { state: { paths: [../etc] } }', '/services/job/directories/state/paths/0'],
    ['stopSignal: SIGTERM', '/services/job/stopSignal'],
  ])('%j is refused', (fields, message) => {
    expect(problems(fields).join('\n')).toContain(message);
  });

  test('forking renders on systemd and is refused on runit with the reason', () => {
    expect(problems('forking: { pidFile: /run/job.pid }')).toEqual([]);
    expect(problems('forking: { pidFile: /run/job.pid }', 'runit')).toEqual([
      '/services/job/forking: runit cannot supervise a daemon that forks: runsv must be its parent; run it in the foreground (most daemons have a flag for it) and leave forking out',
    ]);
  });

  test('a oneshot job is not restarted by default, and on-failure is allowed', () => {
    const model = compileSpec('version: 1\nservices:\n  a:\n    command: [/usr/bin/true]\n    oneshot: true\n  b:\n    command: [/usr/bin/true]\n    oneshot: true\n    restart: on-failure\n', 's.yaml');
    expect(model.services.map((s) => (s.schedule.kind === 'daemon' ? s.schedule.restart : null))).toEqual(['no', 'on-failure']);
  });

  test('a spec without the new fields has the old defaults', () => {
    const [service] = compileSpec('version: 1\nservices:\n  a:\n    command: [/usr/bin/true]\n', 's.yaml').services;
    expect(service?.lifecycle).toEqual({
      type: 'exec',
      notifyAccess: null,
      pidFile: null,
      remainAfterExit: false,
      reload: null,
      stopSignal: null,
      timeoutStartMs: null,
      timeoutStopMs: null,
      successStatus: [],
      preventRestartStatus: [],
      restartLimit: null,
      beforeStart: [],
      stop: [],
      afterStop: [],
      killMode: null,
    });
    expect([service?.requires, service?.before, service?.environmentFiles, service?.directories]).toEqual([[], [], [], []]);
  });
});

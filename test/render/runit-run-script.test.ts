/**
 * The runit run script does its one-time preparation (the service's own directories, the credential copies) once,
 * before the timer loop: never again inside the failure hook, where an `exit 111` would end the whole loop.
 */
import { expect, test } from 'vitest';
import { compileSpec } from '../../src/model/compile.js';
import { renderSpec } from '../../src/render/render.js';
import { specText } from '../support/specs.js';

const spec = specText([
  {
    name: 'job',
    extra: [
      'workingDirectory: /var/lib/job',
      'credentials: { token: /etc/job/token }',
      'onFailure: [/usr/bin/logger, failed]',
      'precondition: [/usr/bin/true]',
    ].join('\n'),
  },
]);

function runScript(): string {
  const rendered = renderSpec(compileSpec(spec, 'job.yaml'), { target: 'runit', layout: 'void' });
  const run = rendered.entries.find((e) => e.path === '/etc/sv/job/run');
  if (run?.kind !== 'file') throw new Error('no run script');
  return run.content;
}

test('directories and credentials are prepared once, before the loop', () => {
  const script = runScript();
  const count = (text: string) => script.split(text).length - 1;
  expect(count(`own_dir '/var/lib/job'`)).toBe(1);
  expect(count(`cp -- '/etc/job/token'`)).toBe(1);
  expect(script.indexOf(`own_dir '/var/lib/job'`)).toBeLessThan(script.indexOf('launch() {'));
  expect(script.indexOf(`cp -- '/etc/job/token'`)).toBeLessThan(script.indexOf('launch() {'));
});

test('the failure hook only runs the hook, with the failed status in its environment', () => {
  const body = /\non_failure\(\) \{\n([\s\S]*?)\n\}\n/.exec(runScript())?.[1];
  expect(body?.split('\n')).toEqual([
    '\tfailure_status=$1',
    `\trun_waiting '/usr/bin/logger' 'failed'`,
    '\tlog "failure hook finished status=$?"',
    '\tfailure_status=',
    '\tstatus=$1',
  ]);
});

// issue 12: a job run as root got no HOME, USER or LOGNAME although the README promises them
test('a job run as root gets USER, LOGNAME and HOME like any other user', () => {
  const text = specText([{ name: 'job', user: 'root', interval: null, extra: 'restart: always' }]);
  const run = renderSpec(compileSpec(text, 'job.yaml'), { target: 'runit', layout: 'void' }).entries.find((e) => e.path === '/etc/sv/job/run');
  if (run?.kind !== 'file') throw new Error('no run script');
  const lines = run.content.split('\n').map((l) => l.trim());
  expect(lines).toContain("user='root'");
  expect(lines).toContain('home=$(getent passwd "$user")');
  for (const assignment of ['"USER=$user"', '"LOGNAME=$user"', '"HOME=${home:-/}"']) expect(lines).toContain(`set -- "$@" ${assignment}`);
});

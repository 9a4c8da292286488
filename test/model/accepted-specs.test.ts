/** Values near the edges of what the schema refuses, which it must still accept. */
import { expect, test } from 'vitest';
import { renderSpec } from '../../src/render/render.js';
import { compileSpec } from '../../src/model/compile.js';

const base = (extra: string) => `version: 1\nservices:\n  job:\n    command: [/bin/true]\n${extra}`;

test.each([
  ['syscall groups with a hyphen', '    hardening: { syscalls: ["@system-service", "@raw-io", ioctl] }\n'],
  ['a log directory of its own under /var/log', '    logging: { dir: /var/log/job/main }\n'],
  ['a credential name with dots', '    credentials: { api.token: /etc/job/token, ...x: /etc/job/x }\n'],
  ['a device below /dev', '    hardening: { devices: [/dev/net/tun] }\n'],
  ['a blank inside a path', '    workingDirectory: "/var/lib/my job"\n'],
  ['a long interval (a million days)', '    interval: 1000000d\n'],
])('%s', (_what, extra) => {
  expect(() => compileSpec(base(extra), 'job.yaml')).not.toThrow();
});

test('a working directory with a colon renders on both targets (the user keeps / as its passwd home)', () => {
  const model = compileSpec(base('    user: job\n    workingDirectory: /srv/a:b\n'), 'job.yaml');
  const sysusers = renderSpec(model, { target: 'systemd' }).entries.find((e) => e.path === '/etc/sysusers.d/pvpn-gen-job.conf');
  expect(sysusers?.kind === 'file' && sysusers.content).toMatch(/^u job - "pvpn-gen service job" \/$/m);
  expect(() => renderSpec(model, { target: 'runit' })).not.toThrow();
});

test('an argument of exactly the most bytes Linux passes (131,071 and its NUL) is accepted', () => {
  expect(() => compileSpec(base(`    interval: 1h\n    precondition: [/bin/test, ${'x'.repeat(131071)}]\n`), 'job.yaml')).not.toThrow();
});

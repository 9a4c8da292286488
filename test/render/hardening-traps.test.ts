/**
 * Hardening traps found on real services (issue 12): root under the strict profile is told what it cannot do, and
 * capabilities listed under profile none bound the service instead of only being handed to it.
 */
import { expect, test } from 'vitest';
import { compileSpec } from '../../src/model/compile.js';
import { renderSpec } from '../../src/render/render.js';

function render(fields: string) {
  const text = `version: 1\nservices:\n  job:\n    command: [/usr/bin/true]\n    restart: always\n${fields.replace(/^/gm, '    ')}\n`;
  return renderSpec(compileSpec(text, 'spec.yaml'), { target: 'systemd' });
}

function unit(fields: string): string[] {
  const entry = render(fields).entries.find((e) => e.path === '/etc/systemd/system/job.service');
  if (entry?.kind !== 'file') throw new Error('no job.service');
  return entry.content.split('\n');
}

test('user: root under the default (strict) profile: a warning naming what root loses and the fix', () => {
  const warnings = render('user: root').warnings.map((w) => `${w.pointer}: ${w.message}`);
  expect(warnings.join('\n')).toMatch(/\/services\/job\/user: user: root under the strict profile: no capabilities .*PrivateUsers=yes.*use profile: basic/);
  expect(render('user: root\nhardening: basic').warnings).toEqual([]);
});

test('capabilities under profile none: the bounding set is the listed ones, beside the ambient set', () => {
  const lines = unit('user: svc\nhardening: { profile: none, capabilities: [CAP_NET_BIND_SERVICE] }');
  expect(lines).toContain('CapabilityBoundingSet=CAP_NET_BIND_SERVICE');
  expect(lines).toContain('AmbientCapabilities=CAP_NET_BIND_SERVICE');
  // none with nothing listed stays without any capability line
  expect(unit('user: svc\nhardening: none').filter((l) => l.startsWith('Capability') || l.startsWith('Ambient'))).toEqual([]);
});

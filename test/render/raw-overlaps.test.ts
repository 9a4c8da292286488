/**
 * A raw systemd directive (hardening.systemd) that pvpn-gen also writes from a spec setting gives a warning naming
 * the setting to use (an error with --strict); hardening directives, which the raw sections exist to override, do
 * not. Every directive of the table is checked against what the templates really write.
 */
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { SPEC_OWNED_DIRECTIVES, type RawSection } from '../../src/render/systemd-owned.js';
import { cli } from '../support/cli.js';
import { REPO } from '../support/paths.js';
import { writeSpec } from '../support/specs.js';

const spec = (raw: string) => writeSpec(`version: 1\nservices:\n  job:\n    command: [/bin/true]\n    interval: 1h\n    hardening: { profile: basic, systemd: ${raw} }\n`);

test('ExecStart= and User= set raw: a warning each at the raw key, naming the setting; an error with --strict', async () => {
  const file = spec('{ Service: { ExecStart: /bin/false, User: root, MemoryDenyWriteExecute: false } }');
  const result = await cli(['--spec', file, 'render', '--target', 'systemd']);
  expect(result.code).toBe(0);
  expect(result.stderr).toMatch(/:6:\d+: warning: \/services\/job\/hardening\/systemd\/Service\/ExecStart: ExecStart= is written from command; .*set command instead/);
  expect(result.stderr).toMatch(/warning: \/services\/job\/hardening\/systemd\/Service\/User: User= is written from user;/);
  expect(result.stderr).not.toContain('MemoryDenyWriteExecute');
  const strict = await cli(['--spec', file, 'render', '--target', 'systemd', '--strict']);
  expect(strict.code).toBe(1);
  expect(strict.stderr).toContain('error: /services/job/hardening/systemd/Service/ExecStart');
});

test('runit ignores the raw systemd sections, and says nothing about them', async () => {
  const result = await cli(['--spec', spec('{ Timer: { OnCalendar: daily } }'), 'render', '--target', 'runit']);
  expect(result.code).toBe(0);
  expect(result.stderr).not.toContain('OnCalendar');
});

test('every directive in the table is one the templates write in that section', () => {
  const written: Record<RawSection, Set<string>> = { Unit: new Set(), Service: new Set(), Timer: new Set() };
  for (const name of ['service', '_execution', 'timer']) {
    let section: RawSection = name === 'timer' ? 'Timer' : 'Service';
    for (const line of readFileSync(`${REPO}/templates/systemd/${name}.hbs`, 'utf8').split('\n')) {
      const header = /^\[(Unit|Service|Timer|Install)\]$/.exec(line);
      if (header) section = header[1] as RawSection;
      const directive = /^([A-Z][A-Za-z]+)=/.exec(line);
      if (directive) written[section]?.add(directive[1] as string);
    }
  }
  for (const [section, directives] of Object.entries(SPEC_OWNED_DIRECTIVES) as Array<[RawSection, Record<string, string>]>) {
    for (const directive of Object.keys(directives)) expect(written[section].has(directive), `${section}.${directive}`).toBe(true);
  }
});

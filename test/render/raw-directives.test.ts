/**
 * Raw systemd directives (hardening.systemd): one that pvpn-gen also writes from a spec setting gives a warning
 * naming the setting to use, and one systemd 252 does not know (a typo would silently protect nothing) a warning
 * with the closest known name; both are errors with --strict. Hardening directives, which the raw sections exist to
 * override, give none. The tables are checked against the templates and against the installed systemd's parser.
 */
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { directivesInLibrary, findCoreLibrary } from '../../scripts/systemd-directives-lib.mjs';
import { SYSTEMD_DIRECTIVES } from '../../src/targets/systemd/directives.js';
import { SPEC_OWNED_DIRECTIVES, type RawSection } from '../../src/targets/systemd/raw.js';
import { cli } from '../support/cli.js';
import { REPO } from '../support/paths.js';
import { writeSpec } from '../support/specs.js';
import { installHint } from '../support/tools.js';

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

test('a directive systemd does not know: a warning with the closest known name; none for known ones', async () => {
  const file = spec('{ Service: { ProtectSytem: full, ProtectHome: read-only, NoSuchThingAtAll: yes }, Timer: { Persistant: true } }');
  const result = await cli(['--spec', file, 'render', '--target', 'systemd']);
  expect(result.code).toBe(0);
  expect(result.stderr).toContain('warning: /services/job/hardening/systemd/Service/ProtectSytem: systemd 252 knows no ProtectSytem= in [Service] and would ignore it; did you mean ProtectSystem?');
  expect(result.stderr).toMatch(/Service\/NoSuchThingAtAll: systemd 252 knows no NoSuchThingAtAll= in \[Service\] and would ignore it\n/);
  expect(result.stderr).toContain('Timer/Persistant: systemd 252 knows no Persistant= in [Timer] and would ignore it; did you mean Persistent?');
  expect(result.stderr).not.toContain('ProtectHome');
  expect((await cli(['--spec', file, 'render', '--target', 'systemd', '--strict'])).code).toBe(1);
});

test('the table of known directives is what the installed systemd 252 parser knows', () => {
  const library = findCoreLibrary();
  if (!library) throw new Error(`libsystemd-core-*.so not found: ${installHint('/lib/systemd/systemd')}`);
  expect(library).toMatch(/libsystemd-core-252\.so$/);
  const installed = directivesInLibrary(library);
  for (const section of ['Unit', 'Service', 'Timer'] as const) expect(SYSTEMD_DIRECTIVES[section].split(' '), section).toEqual(installed[section]);
});

// issue 12: the raw directives a real unit carries point to the spec fields that write them
test('Type= and TimeoutStartSec= set raw on a daemon name readiness/forking/oneshot and timeouts.start, not limits.runtime', async () => {
  const file = writeSpec('version: 1\nservices:\n  d:\n    command: [/bin/true]\n    restart: always\n    hardening: { profile: basic, systemd: { Service: { Type: forking, TimeoutStartSec: 5min } } }\n');
  const result = await cli(['--spec', file, 'render', '--target', 'systemd']);
  expect(result.code).toBe(0);
  expect(result.stderr).toContain('Service/Type: Type= is written from readiness (notify), forking (with its pidFile) or oneshot;');
  expect(result.stderr).toContain('Service/TimeoutStartSec: TimeoutStartSec= is written from timeouts.start (limits.runtime on a periodic job);');
  expect(result.stderr).not.toContain('interval, calendar or restart');
});

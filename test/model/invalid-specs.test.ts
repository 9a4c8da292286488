/**
 * Invalid specs: each gives exit 1, one `FILE:LINE:COL: error: POINTER: message` line per problem (the line and
 * column of the offending key or value), no stack trace, and writes nothing (render --out stays absent).
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { cli } from '../support/cli.js';

const base = (extra: string) => `version: 1\nservices:\n  job:\n    command: [/bin/true]\n${extra}`;

/** [what, spec text, expected "LINE:COL: error: POINTER: message-part"] */
const CASES: ReadonlyArray<readonly [string, string, string]> = [
  ['empty file', '', '1:1: error: (document): the spec is empty'],
  ['only a comment', '# nothing\n', '1:1: error: (document): the spec is empty'],
  ['invalid YAML', 'version: 1\nservices: [\n', '3:1: error: (document): invalid YAML'],
  ['duplicate key', base('    interval: 1h\n    interval: 2h\n'), '6:5: error: (document): this key appears twice'],
  ['two documents', 'version: 1\n---\nversion: 1\n', '3:1: error: (document): the spec holds several YAML documents (---); keep one'],
  ['tab indentation', 'version: 1\nservices:\n\tjob: {}\n', '3:1: error: (document):'],
  ['top level is a list', '- version: 1\n', '1:1: error: (document): expected a mapping (key: value), found a list'],
  ['version missing', 'services:\n  job:\n    command: [/bin/true]\n', '1:1: error: (document): missing "version"'],
  ['version 2', 'version: 2\nservices:\n  job:\n    command: [/bin/true]\n', '1:10: error: /version: the number 2 is not supported; write `version: 1`'],
  ['no services', 'version: 1\nservices: {}\n', '2:11: error: /services: nothing is defined here; add at least one service'],
  ['misspelt top-level key', 'version: 1\nservics: {}\nservices:\n  job:\n    command: [/bin/true]\n', '2:1: error: /servics: unknown key "servics"; did you mean "services"?'],
  ['near-miss key', base('    intervall: 1h\n'), '5:5: error: /services/job/intervall: unknown key "intervall"; did you mean "interval"?'],
  ['unknown key', base('    frobnicate: 1\n'), '5:5: error: /services/job/frobnicate: unknown key "frobnicate"; allowed here: description, command'],
  ['name with ../', 'version: 1\nservices:\n  ../x:\n    command: [/bin/true]\n', '3:3: error: /services/..~1x: invalid name "../x"'],
  ['name with @', 'version: 1\nservices:\n  foo@bar:\n    command: [/bin/true]\n', "3:3: error: /services/foo@bar: invalid name \"foo@bar\"; use 1-64 characters"],
  ['upper-case name', 'version: 1\nservices:\n  Foo:\n    command: [/bin/true]\n', '3:3: error: /services/Foo: invalid name "Foo"'],
  ['name starting with a dot', 'version: 1\nservices:\n  .hidden:\n    command: [/bin/true]\n', '3:3: error: /services/.hidden: invalid name ".hidden"'],
  ['relative argv[0]', 'version: 1\nservices:\n  job:\n    command: [bin/job]\n', '4:15: error: /services/job/command/0: the string "bin/job" is not valid; argv[0] must be an absolute path'],
  ['command as a string', 'version: 1\nservices:\n  job:\n    command: /bin/true --x\n', '4:14: error: /services/job/command: expected a list, found the string'],
  ['empty command', 'version: 1\nservices:\n  job:\n    command: []\n', '4:14: error: /services/job/command: the list is empty'],
  ['command missing', 'version: 1\nservices:\n  job:\n    interval: 1h\n', '3:3: error: /services/job: missing "command"'],
  ['newline in an environment value', base('    environment: { A: "x\\ny" }\n'), '5:23: error: /services/job/environment/A: the string "x\\ny" is not valid (it contains a line break)'],
  ['NUL in an argument', 'version: 1\nservices:\n  job:\n    command: [/bin/echo, "a\\0b"]\n', '4:26: error: /services/job/command/1: the string "a\\u0000b" is not valid (it contains a NUL character)'],
  ['newline in the description', base('    description: "two\\nlines"\n'), '5:18: error: /services/job/description: the string "two\\nlines" is not valid (it contains a line break)'],
  ['bad duration', base('    interval: 5 parsecs\n'), '5:15: error: /services/job/interval: the string "5 parsecs" is not valid; a time span like 90s'],
  ['YAML 1.1 sexagesimal', base('    interval: 1:30\n'), '5:15: error: /services/job/interval: the string "1:30" is not valid (YAML 1.1 would read this as a base-60 number'],
  ['decimal seconds', base('    interval: 1.5\n'), '5:15: error: /services/job/interval: expected a whole number or a string, found the decimal number 1.5'],
  ['negative interval', base('    interval: -5\n'), '5:15: error: /services/job/interval: the number -5 is too small'],
  ['zero interval', base('    interval: 0\n'), '5:5: error: /services/job/interval: interval must be at least 1s'],
  [
    'an argument longer than Linux passes (MAX_ARG_STRLEN)',
    `version: 1\nservices:\n  job:\n    interval: 1h\n    command: [/bin/echo, ok, ${'é'.repeat(65536)}]\n`,
    '5:5: error: /services/job/command: command[2] is 131,072 bytes; Linux passes at most 131,071 bytes per argument or variable (MAX_ARG_STRLEN): put the text in a file and pass its path',
  ],
  [
    'a variable longer than Linux passes',
    base(`    interval: 1h\n    environment: { BIG: ${'x'.repeat(131070)} }\n`),
    '6:5: error: /services/job/environment: environment.BIG is 131,074 bytes as BIG=value; Linux passes at most 131,071 bytes',
  ],
  ['size with MB', base('    limits: { memory: 50MB }\n'), '5:23: error: /services/job/limits/memory: the string "50MB" is not valid; a whole number of bytes, or with a K, M, G or T suffix'],
  ['cpu without %', base('    limits: { cpu: 10 }\n'), '5:20: error: /services/job/limits/cpu: expected a string, found the number 10'],
  // issue 12: the argument's fix is about control characters; a number needs quotes
  ['a number in argv', 'version: 1\nservices:\n  sshd:\n    command: [/usr/sbin/sshd, -g, 22]\n', '4:35: error: /services/sshd/command/2: expected a string, found the number 22: quote it ("22") so YAML reads it as text'],
  ['raw [Install]', base('    hardening: { systemd: { Install: { WantedBy: graphical.target } } }\n'), '5:29: error: /services/job/hardening/systemd/Install: [Install] is written by pvpn-gen (WantedBy=multi-user.target for a daemon, timers.target for a timer): set wantedBy'],
  ['wantedBy on a periodic job', base('    interval: 1h\n    wantedBy: [graphical.target]\n'), '6:5: error: /services/job/wantedBy: wantedBy only applies to daemons'],
  ['YAML 1.1 boolean', base('    dynamicUser: yes\n'), '5:18: error: /services/job/dynamicUser: expected true or false, found the string "yes" (YAML 1.2 reads yes as a string: write true or false)'],
  ['restart typo', 'version: 1\nservices:\n  d:\n    command: [/bin/true]\n    restart: on-falure\n', '5:14: error: /services/d/restart: the string "on-falure" is not allowed; did you mean "on-failure"?'],
  ['hardening profile', base('    hardening: paranoid\n'), '5:16: error: /services/job/hardening: the string "paranoid" does not fit here; a profile name (none, basic, strict)'],
  ['hardening network', base('    hardening: { network: maybe }\n'), '5:27: error: /services/job/hardening/network: the string "maybe" is not allowed; true, all, loopback or false'],
  ['variant of an unknown service', base('variants:\n  eu:\n    services:\n      jbo: { interval: 1h }\n'), '8:7: error: /variants/eu/services/jbo: no service "jbo" under services: a variant changes the spec\'s services; did you mean "job"?'],
  ['variant with a bad value', base('variants:\n  eu:\n    services:\n      job: { interval: 5 parsecs }\n'), '8:24: error: /variants/eu/services/job/interval: the string "5 parsecs" is not valid; a time span like 90s'],
  ['variant: a rule the schema cannot say, placed in the variant', base('variants:\n  eu:\n    services:\n      job: { interval: 0 }\n'), '8:14: error: /variants/eu/services/job/interval: interval must be at least 1s'],
  ['variant: a conflict with the service it changes', base('    interval: 1h\nvariants:\n  eu:\n    services:\n      job: { calendar: daily }\n'), '9:14: error: /variants/eu/services/job/calendar: set either interval or calendar, not both'],
  ['variant leaving out every service', base('variants:\n  eu:\n    services:\n      job: false\n'), '6:3: error: /variants/eu: this variant leaves out every service'],
  ['variant with other keys', base('variants:\n  eu:\n    hosts: [a]\n    services:\n      job: false\n'), '7:5: error: /variants/eu/hosts: unknown key "hosts"'],
  ['variant service true', base('variants:\n  eu:\n    services:\n      job: true\n'), '8:12: error: /variants/eu/services/job: the boolean true does not fit here; give the service\'s fields to change, or false to leave it out'],
  ['interval and calendar', base('    interval: 1h\n    calendar: daily\n'), '6:5: error: /services/job/calendar: set either interval or calendar, not both'],
  ['invalid calendar', base('    calendar: "*-*-* 25:00"\n'), '5:5: error: /services/job/calendar: invalid calendar expression:'],
  ['user nobody', base('    user: nobody\n'), '5:5: error: /services/job/user: "nobody" is shared by unrelated programs'],
  ['user and dynamicUser', base('    user: app\n    dynamicUser: true\n'), '6:5: error: /services/job/dynamicUser: set either user or dynamicUser: true, not both'],
  ['relative working directory', base('    workingDirectory: var/lib/x\n'), '5:23: error: /services/job/workingDirectory: the string "var/lib/x" is not valid; an absolute, normalised path'],
  ['.. in a path', base('    workingDirectory: /var/lib/../x\n'), '5:23: error: /services/job/workingDirectory: the string "/var/lib/../x" is not valid'],
  ['invalid environment name', base('    environment: { 1BAD: x }\n'), '5:20: error: /services/job/environment/1BAD: invalid name "1BAD"; an environment variable name'],
  ['decimal environment value', base('    environment: { VERSION: 1.10 }\n'), '5:29: error: /services/job/environment/VERSION: expected a string or a whole number or true or false, found the decimal number 1.1 (quote it'],
  ['randomizedDelay on a daemon', base('    randomizedDelay: 5m\n'), '5:5: error: /services/job/randomizedDelay: randomizedDelay only applies to periodic jobs'],
  ['restart on a periodic job', base('    interval: 1h\n    restart: always\n'), '6:5: error: /services/job/restart: restart only applies to daemons'],
  ['huge interval', base('    interval: "99999999999999999999d"\n'), '5:5: error: /services/job/interval: interval: "99999999999999999999d" is too long a time span'],
  ['huge memory limit', base('    limits: { memory: 99999999999T }\n'), '5:5: error: /services/job/limits: limits.memory: "99999999999T" is too large a size'],
  ['log directory outside /var/log', base('    logging: { dir: /etc }\n'), '5:21: error: /services/job/logging/dir: the string "/etc" is not valid; a directory of its own under /var/log'],
  ['credential named ..', base('    credentials: { "..": /etc/secret }\n'), '5:20: error: /services/job/credentials/..: invalid name ".."'],
  ['.. in argv[0]', 'version: 1\nservices:\n  job:\n    command: [/usr/../bin/true]\n', '4:15: error: /services/job/command/0: the string "/usr/../bin/true" is not valid; argv[0] must be an absolute path'],
  ['.. in a device', base('    hardening: { devices: [/dev/../etc/shadow] }\n'), '5:28: error: /services/job/hardening/devices/0: the string "/dev/../etc/shadow" is not valid; a normalised device path'],
  ['trailing blank in a path', base('    workingDirectory: "/var/lib/a "\n'), '5:23: error: /services/job/workingDirectory: the string "/var/lib/a " is not valid'],
  ['command in defaults', 'version: 1\ndefaults:\n  command: [/bin/true]\nservices:\n  job:\n    command: [/bin/true]\n', '3:3: error: /defaults/command: "command" is not allowed in defaults'],
  ['YAML merge key', 'version: 1\nx: &a { interval: 1h }\nservices:\n  job:\n    <<: *a\n    command: [/bin/true]\n', '5:5: error: /services/job/<<: YAML merge keys (<<) are not supported'],
  ['name clash with a failure hook', 'version: 1\nservices:\n  x:\n    command: [/bin/true]\n    onFailure: [/bin/true]\n  x-failure:\n    command: [/bin/true]\n', '6:3: error: /services/x-failure: services "x" and "x-failure" would both write /etc/systemd/system/x-failure.service; rename one'],
];

describe('invalid specs: exit 1, FILE:LINE:COL + pointer + fix, nothing written', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pvpn-invalid-'));
  test.each(CASES)('%s', async (what, text, expected) => {
    const file = join(dir, `${what.replaceAll(/[^a-z0-9]+/gi, '-')}.yaml`);
    writeFileSync(file, text);
    const out = join(dir, `out-${what.replaceAll(/[^a-z0-9]+/gi, '-')}`);
    const result = await cli(['--spec', file, 'render', '--target', 'systemd', '--out', out]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${file}:${expected}`.replace(`${file}:error`, `${file}: error`));
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(result.stderr).toMatch(/nothing was written\n$/);
    expect(existsSync(out)).toBe(false);
  });

  test('all problems are reported in one run, in document order', async () => {
    const file = join(dir, 'many.yaml');
    writeFileSync(file, base('    intervall: 1h\n    user: Bad\n    limits: { memory: lots }\n'));
    const result = await cli(['--spec', file, 'validate']);
    expect(result.code).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines.at(-1)).toBe('pvpn-gen: 3 problems in the spec; nothing was written');
    expect(lines.slice(0, -1).map((l) => l.slice(file.length + 1).split(': ')[0])).toEqual(['5:5', '6:11', '7:23']);
  });

  test('an unknown --service name is an error naming the services the spec has', async () => {
    const file = join(dir, 'ok.yaml');
    writeFileSync(file, base(''));
    const result = await cli(['--spec', file, 'render', '--target', 'runit', '--service', 'nope']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('/services/nope: no service "nope" in the spec; it has: job');
  });

  test('a missing spec file says how to make one', async () => {
    const result = await cli(['--spec', join(dir, 'absent.yaml'), 'validate']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/absent\.yaml: no such file; check --spec, or run `pvpn-gen init`/);
  });

  test('usage errors exit 2', async () => {
    expect((await cli(['render'])).code).toBe(2);
    expect((await cli(['no-such-command'])).code).toBe(2);
    expect((await cli(['--spec', 'x', 'render', '--target', 'upstart'])).code).toBe(2);
  });
});

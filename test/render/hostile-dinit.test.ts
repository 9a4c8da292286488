/**
 * The dinit target's files under the real dinit 0.22 as PID 1 (test/harness/dinit-sandbox.sh):
 *  - dinit-check accepts every service description rendered from the fixtures, with no warning, and loads it;
 *  - hostile argv and environment (quotes, backslashes, $-expansions, specifiers, globs, separators, tabs, unicode,
 *    random text; program paths with quotes, spaces and `$`) go through pvpn-gen's dinit files exactly: dinit starts
 *    the run script, which starts the probe (probe-shm) as `daemon`; the probe's record must hold exactly the spec's
 *    argv and the spec's environment plus PATH, USER, LOGNAME and HOME;
 *  - the environment file reaches the job as the shared reader says (test/support/env-file.ts);
 *  - dinitValue (src/render/escape.ts) round-trips every hostile string through dinit's own `command =` parser.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileSpec } from '../../src/model/compile.js';
import { dinitCommandLine } from '../../src/render/escape.js';
import { renderSpec } from '../../src/render/render.js';
import type { Rendered } from '../../src/render/types.js';
import { bootDinit } from '../harness/dinit-sandbox.js';
import type { InitMachine } from '../harness/init-machine.js';
import { MACHINE_PROBE, installProbe, readProbe, resetProbe, waitInside } from '../harness/inits-support.js';
import { ENV_FILE_DIFFERENCES, ENV_FILE_EXPECTED, ENV_FILE_TEXT } from '../support/env-file.js';
import { fixturesFor, renderFixture } from '../support/fixtures.js';
import { HOSTILE_DIRS_SYSTEMD, everyTokenCase, hostileCase, hostileService, hostileSpecText, hostileString, specEnvironment, type HostileCase } from '../support/hostile.js';
import { PROBE_SHM_RECORD, environMap } from '../support/probe.js';
import { requireTool } from '../support/tools.js';

const SCRIPT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
const RUNS = 25;

let m: InitMachine;
let daemonHome = '';
const programs = [MACHINE_PROBE];

/** Writes a render's files and links into the machine. */
async function put(rendered: Rendered): Promise<void> {
  for (const e of rendered.entries) {
    await m.sh(`mkdir -p "$(dirname '${e.path}')" && rm -f '${e.path}'`);
    if (e.kind === 'file') m.writeFile(e.path, e.content, e.mode);
    else await m.exec(['ln', '-s', e.target, e.path]);
  }
}

beforeAll(async () => {
  m = await bootDinit();
  installProbe(m);
  // the same probe under hostile directory names (still named probe-shm: that is what makes it write to /dev/shm)
  for (const [i, dir] of HOSTILE_DIRS_SYSTEMD.entries()) {
    const path = `/opt/hostile/${i} ${dir}`;
    await m.exec(['mkdir', '-p', path]);
    await m.exec(['cp', MACHINE_PROBE, `${path}/probe-shm`]);
    programs.push(`${path}/probe-shm`);
  }
  daemonHome = (await m.sh('getent passwd daemon | cut -d: -f6')).stdout.trim();
}, 120_000);
afterAll(async () => {
  await m?.stop();
});

describe('dinit files of every fixture', () => {
  it.each(fixturesFor('dinit'))('%s: dinit-check finds no problem, and dinit loads each service', async (name) => {
    const rendered = renderFixture(name, 'dinit');
    await put(rendered);
    for (const service of rendered.services) {
      const check = await m.exec(['dinit-check', service.name]);
      // every warning and error goes to stderr
      expect(check.stderr).toBe('Secondary checks complete.\n');
      expect(check.stdout).toBe(`Checking service: ${service.name}...\nPerforming secondary checks...\nNo problems found.\n`);
      expect(check.code).toBe(0);
      // dinit-check does not see everything (a lone $ passes it): dinit itself must load it too
      const loaded = await m.exec(['dinitctl', 'reload', service.name]);
      expect(loaded.stdout + loaded.stderr).toBe(`Service '${service.name}' reloaded.\n`);
      await m.exec(['dinitctl', 'unload', service.name]);
    }
  });
});

describe('dinit run scripts: shellcheck -s sh and dash -n', () => {
  it('are clean on every fixture and on 30 generated hostile scripts', () => {
    const shellcheck = requireTool('shellcheck');
    const dash = requireTool('dash');
    const dir = mkdtempSync(join(tmpdir(), 'pvpn-dinit-sh-'));
    try {
      const scripts: string[] = [];
      const keep = (rendered: Rendered) => {
        for (const e of rendered.entries) {
          if (e.kind !== 'file' || !e.content.startsWith('#!/bin/sh\n')) continue;
          const path = join(dir, `${scripts.length}-${e.path.replaceAll('/', '_')}`);
          writeFileSync(path, e.content);
          scripts.push(path);
        }
      };
      for (const name of fixturesFor('dinit')) keep(renderFixture(name, 'dinit'));
      for (const [i, c] of [everyTokenCase(), ...fc.sample(hostileCase(1), 29)].entries()) {
        const service = { ...hostileService([MACHINE_PROBE, ...c.args], c.env), ...(i % 2 ? { environmentFile: '/etc/x.env' } : {}) };
        const daemon = i % 3 === 0 ? { ...service, interval: undefined, precondition: ['/bin/true', ...c.args], onFailure: ['/bin/false'], restart: 'on-failure' } : service;
        keep(renderSpec(compileSpec(hostileSpecText({ [`h${i}`]: daemon }), 'hostile.json'), { target: 'dinit' }));
      }
      expect(scripts.length).toBeGreaterThanOrEqual(34);
      // SC1112: the hostile values hold unicode quotes on purpose, literal inside '...'
      const lint = spawnSync(shellcheck, ['-s', 'sh', '--severity=style', '--exclude=SC1112', ...scripts], { encoding: 'utf8' });
      expect(lint.stdout + lint.stderr).toBe('');
      expect(lint.status).toBe(0);
      for (const script of scripts) {
        const parsed = spawnSync(dash, ['-n', script], { encoding: 'utf8' });
        expect(parsed.stderr + String(parsed.status), script).toBe('0');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

let n = 0;

/** Renders a one-service spec, installs its files, starts it under dinit and returns the probe's first record. */
async function runCase(service: object) {
  const name = `hostile${++n}`;
  const rendered = renderSpec(compileSpec(hostileSpecText({ [name]: service }), 'hostile.json'), { target: 'dinit' });
  await put(rendered);
  resetProbe(m);
  const started = await m.exec(['dinitctl', 'start', name]);
  if (started.code !== 0) throw new Error(`dinitctl start ${name}: ${started.stdout}${started.stderr}`);
  // the interval job runs at once; the record is complete when it ends in "end\0"
  await waitInside(m, `tail -c 4 ${PROBE_SHM_RECORD} | grep -q end && echo ok`);
  const record = readProbe(m);
  await m.exec(['dinitctl', 'stop', name]);
  await m.exec(['dinitctl', 'unload', name]);
  const log = (await m.sh(`cat /var/log/dinit/${name}.log`)).stdout;
  return { record, log, name };
}

async function check(c: HostileCase): Promise<string | null> {
  const command = [programs[c.program] as string, ...c.args];
  const { record, log } = await runCase(hostileService(command, c.env));
  const problems: string[] = [];
  if (JSON.stringify(record.argv) !== JSON.stringify(command)) problems.push(`argv ${JSON.stringify(record.argv)}, expected ${JSON.stringify(command)}`);
  const want = new Map([
    ['PATH', SCRIPT_PATH],
    ['USER', 'daemon'],
    ['LOGNAME', 'daemon'],
    ['HOME', daemonHome],
  ]);
  for (const [k, v] of specEnvironment(c.env)) want.set(k, v);
  const got = environMap(record.environ);
  for (const [k, v] of want) if (got.get(k) !== v) problems.push(`${k}=${JSON.stringify(got.get(k))}, expected ${JSON.stringify(v)}`);
  for (const [k, v] of got) if (!want.has(k)) problems.push(`unexpected ${k}=${JSON.stringify(v)}`);
  if (!log.includes('pvpn-gen: run started\n')) problems.push(`log ${JSON.stringify(log)}`);
  return problems.length === 0 ? null : `${problems.join('; ')}\n  case: ${JSON.stringify(c)}`;
}

describe('dinit target: hostile argv and environment reach the job exactly (real dinit, setpriv, probe)', () => {
  it('every token at once, under every hostile program path', async () => {
    for (let program = 0; program < programs.length; program++) expect(await check({ ...everyTokenCase(), program })).toBeNull();
  }, 300_000);

  it(`${RUNS} generated cases`, async () => {
    await fc.assert(
      fc.asyncProperty(hostileCase(programs.length), async (c) => {
        const failure = await check(c);
        if (failure) throw new Error(failure);
      }),
      { numRuns: RUNS },
    );
  }, 600_000);

  it('the environment file reaches the job as the shared reader says, and wins over the spec', async () => {
    await m.sh('mkdir -p -m 0755 /etc/pvpn-test');
    m.writeFile('/etc/pvpn-test/env', ENV_FILE_TEXT, 0o600);
    const { record } = await runCase({
      ...hostileService([MACHINE_PROBE], [['PLAIN', 'from the spec'], ['ONLY_SPEC', 'x']]),
      environmentFile: '/etc/pvpn-test/env',
    });
    const got = environMap(record.environ);
    for (const [k, v] of Object.entries(ENV_FILE_EXPECTED)) expect(got.get(k), k).toBe(v);
    // the dinit reader hands values over on a file descriptor: trailing blanks inside quotes stay (as systemd's)
    const dinitReads: Record<string, string> = { DQ: 'double quoted  ', BACKSLASH: ENV_FILE_DIFFERENCES.BACKSLASH?.runit ?? '', DQ_ESCAPE: ENV_FILE_DIFFERENCES.DQ_ESCAPE?.runit ?? '' };
    for (const [k, v] of Object.entries(dinitReads)) expect(got.get(k), k).toBe(v);
    expect(got.get('ONLY_SPEC')).toBe('x');
    // and no value of it ever was on a command line: the copies root made are gone
    expect((await m.sh('ls -A /run/pvpn-gen/environment')).stdout).toBe('');
  }, 120_000);
});

describe('dinitValue: hostile strings through dinit `command =` (real dinit)', () => {
  it('every hostile string reaches the probe exactly', async () => {
    const cases = [everyTokenCase().args, ...fc.sample(fc.array(hostileString, { maxLength: 8 }), 20)].map((args) => args.filter((a) => !a.includes('\n')));
    for (const [i, args] of cases.entries()) {
      const name = `escape${i}`;
      m.writeFile(`/etc/dinit.d/${name}`, `type = scripted\ncommand = ${dinitCommandLine([MACHINE_PROBE, ...args])}\n`);
      resetProbe(m);
      const started = await m.exec(['dinitctl', 'start', name]);
      expect(started.code, started.stdout + started.stderr).toBe(0);
      expect(readProbe(m).argv).toEqual([MACHINE_PROBE, ...args]);
      await m.sh(`dinitctl stop ${name} >/dev/null; dinitctl unload ${name} >/dev/null`);
    }
  }, 300_000);
});

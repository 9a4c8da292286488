/**
 * Hostile argv and environment through the OpenRC target under the real OpenRC (openrc-init as PID 1 of a
 * throwaway machine, test/harness/openrc-sandbox.sh): each case renders /etc/init.d/NAME and its run script,
 * `rc-service NAME start` has supervise-daemon start the run script (through openrc-run's eval), which drops to
 * `daemon` with setpriv and starts the probe (test/support/probe.c), which records the argv and the complete
 * environment it received. The job must get exactly the spec's argv, and exactly the spec's environment plus what
 * the script adds on purpose (PATH, USER, LOGNAME, HOME; the spec wins on a shared name); with an environment file,
 * the file's variables as the runit reader gives them, winning over the spec.
 */
import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileSpec } from '../../src/model/compile.js';
import { renderSpec } from '../../src/render/render.js';
import type { InitMachine } from '../harness/init-machine.js';
import { MACHINE_PROBE, installProbe, readProbe, resetProbe, waitInside } from '../harness/inits-support.js';
import { bootOpenrc } from '../harness/openrc-sandbox.js';
import { ENV_FILE_DIFFERENCES, ENV_FILE_EXPECTED, ENV_FILE_TEXT } from '../support/env-file.js';
import { everyTokenCase, hostileCase, hostileService, hostileSpecText, specEnvironment, type HostileCase } from '../support/hostile.js';
import { environMap } from '../support/probe.js';

const SCRIPT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
const ENV_FILE = '/etc/pvpn-test/hostile.env';
/** a round trip is a few rc-service calls in the machine: about a second each on a loaded machine */
const RUNS = 10;
const daemonHome = execFileSync('getent', ['passwd', 'daemon'], { encoding: 'utf8' }).trim().split(':')[5] ?? '';

let m: InitMachine;
let n = 0;

beforeAll(async () => {
  m = await bootOpenrc();
  installProbe(m);
  await m.sh(`mkdir -p /etc/pvpn-test && chmod 0755 /etc/pvpn-test`);
  m.writeFile(ENV_FILE, ENV_FILE_TEXT, 0o600);
}, 120_000);
afterAll(async () => {
  await m?.stop();
});

/** Installs the rendered files of a one-service spec in the machine, starts it, and returns the probe's record. */
async function roundTrip(service: object): Promise<{ argv: string[]; env: Map<string, string> }> {
  const name = `hostile-${++n}`;
  const rendered = renderSpec(compileSpec(hostileSpecText({ [name]: service }), 'hostile.json'), { target: 'openrc' });
  for (const e of rendered.entries) {
    if (e.kind !== 'file') continue;
    await m.exec(['mkdir', '-p', e.path.slice(0, e.path.lastIndexOf('/'))]);
    m.writeFile(e.path, e.content, e.mode);
  }
  expect((await m.exec(['rc-update', '-u'])).code).toBe(0);
  resetProbe(m);
  const started = await m.exec(['rc-service', name, 'start']);
  expect(started.code, started.stderr).toBe(0);
  try {
    await waitInside(m, `test -s /dev/shm/pvpn-probe.record && grep -q 'run finished' /var/log/${name}/current`);
  } finally {
    await m.exec(['rc-service', name, 'stop']);
  }
  const record = readProbe(m);
  return { argv: record.argv, env: environMap(record.environ) };
}

function expectedEnvironment(env: HostileCase['env']): Map<string, string> {
  const want = new Map([
    ['PATH', SCRIPT_PATH],
    ['USER', 'daemon'],
    ['LOGNAME', 'daemon'],
    ['HOME', daemonHome],
  ]);
  for (const [k, v] of specEnvironment(env)) want.set(k, v);
  return want;
}

async function check(c: HostileCase): Promise<void> {
  const command = [MACHINE_PROBE, ...c.args];
  const got = await roundTrip({ ...hostileService(command, c.env), logging: { dir: `/var/log/hostile-${n + 1}` } });
  expect(got.argv).toEqual(command);
  expect(Object.fromEntries(got.env)).toEqual(Object.fromEntries(expectedEnvironment(c.env)));
}

describe('OpenRC: hostile argv and environment reach the job exactly (real openrc-run, supervise-daemon, setpriv, probe)', () => {
  it('every hostile token at once', async () => {
    await check(everyTokenCase());
  }, 60_000);

  it(`${RUNS} generated cases`, async () => {
    await fc.assert(fc.asyncProperty(hostileCase(1), check), { numRuns: RUNS });
  }, 300_000);

  it('an environment file: its variables win over the spec, read as the runit reader reads them, never on a command line', async () => {
    const tokens = everyTokenCase();
    // the spec sets some of the file's names (the file wins) and the names sh changes itself (kept as the spec says)
    const env: HostileCase['env'] = [...tokens.env, ['PLAIN', 'from the spec'], ['PWD', '/nonexistent $PWD'], ['PPID', 'x'], ['SPEC_ONLY', "it's"]];
    const command = [MACHINE_PROBE, ...tokens.args];
    const got = await roundTrip({ ...hostileService(command, env), environmentFile: ENV_FILE, logging: { dir: `/var/log/hostile-${n + 1}` } });
    const want = expectedEnvironment(env);
    for (const [k, v] of Object.entries(ENV_FILE_EXPECTED)) want.set(k, v);
    // quoted trailing blanks stay (as with systemd: chpst's envdir drops them on runit); no escapes (as on runit)
    for (const [k, v] of Object.entries(ENV_FILE_DIFFERENCES)) want.set(k, k === 'DQ' ? v.systemd : v.runit);
    expect(got.argv).toEqual(command);
    expect(Object.fromEntries(got.env)).toEqual(Object.fromEntries(want));
  }, 60_000);
});

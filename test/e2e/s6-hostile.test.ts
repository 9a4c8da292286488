/**
 * Hostile argv and environment through the s6 run script under the real s6-supervise (s6-svscan as PID 1 and s6-rc,
 * test/harness/s6-sandbox.sh): a spec whose command and environment are built from quotes, backslashes,
 * $-expansions, globs, separators, tabs, unicode and random text renders the s6-rc source definitions; they are
 * compiled, switched to and brought up, and the run script (as root) starts the probe (test/support/probe.c) as
 * `daemon`, which records the argv and the whole environment it received. The job must get exactly the spec's argv,
 * and exactly the spec's environment plus what the script adds on purpose: PATH, USER, LOGNAME and HOME. The
 * environment file goes through the script's reader and s6-envdir -f.
 */
import { readlinkSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileSpec } from '../../src/model/compile.js';
import { renderSpec } from '../../src/render/render.js';
import { S6_FACTS } from '../../src/targets/s6/facts.js';
import type { InitMachine } from '../harness/init-machine.js';
import { MACHINE_PROBE, expectCleanStop, installProbe, readProbe, resetProbe, waitInside } from '../harness/inits-support.js';
import { bootS6, reloadS6Database } from '../harness/s6-sandbox.js';
import { ENV_FILE_DIFFERENCES, ENV_FILE_EXPECTED, ENV_FILE_TEXT } from '../support/env-file.js';
import { everyTokenCase, hostileCase, hostileService, hostileSpecText, specEnvironment, type HostileCase } from '../support/hostile.js';
import { environMap } from '../support/probe.js';

const SCRIPT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
// a case is a compile, a database switch and a start on a loaded machine: seconds each
const PROPERTY_MS = 300_000;

describe('hostile strings through the s6 run script under s6-supervise', () => {
  let m: InitMachine;
  let ns: string;
  let daemonHome: string;

  beforeAll(async () => {
    m = await bootS6();
    ns = readlinkSync(`/proc/${m.pid}/ns/pid`);
    installProbe(m);
    daemonHome = (await m.sh('getent passwd daemon | cut -d: -f6')).stdout.trim();
    await m.sh('mkdir -p /etc/pvpn-hostile && chmod 0755 /etc/pvpn-hostile');
  }, 60_000);
  afterAll(async () => {
    await m?.stop();
  });

  /** Installs the rendered sources of `service` (not its enable file), runs it once, returns what the probe saw. */
  async function runOnce(service: object): Promise<{ argv: string[]; env: Map<string, string> }> {
    const model = compileSpec(hostileSpecText({ hostile: service }), 'hostile.json');
    const rendered = renderSpec(model, { target: 's6' });
    await m.sh(`rm -rf ${S6_FACTS.sourceDir}/hostile-srv ${S6_FACTS.sourceDir}/hostile-log`);
    for (const e of rendered.entries) {
      if (e.kind !== 'file' || !e.path.startsWith(`${S6_FACTS.sourceDir}/hostile-`)) continue;
      await m.exec(['mkdir', '-p', e.path.slice(0, e.path.lastIndexOf('/'))]);
      m.writeFile(e.path, e.content, e.mode);
    }
    const reload = await reloadS6Database(m);
    expect(reload.code, reload.stderr).toBe(0);
    resetProbe(m);
    expect(await m.exec(['s6-rc', '-u', 'change', 'hostile'])).toMatchObject({ code: 0 });
    // the loop runs the job at once, then records the next run an hour later
    await waitInside(m, 'grep -q "next run" /var/lib/pvpn-gen/runs/hostile && grep -q "run finished" /var/lib/pvpn-gen/runs/hostile');
    const record = readProbe(m);
    expect(await m.exec(['s6-rc', '-d', 'change', 'hostile'])).toMatchObject({ code: 0 });
    await m.sh('rm -f /var/lib/pvpn-gen/runs/hostile');
    return { argv: record.argv, env: environMap(record.environ) };
  }

  async function roundTrip(c: HostileCase): Promise<void> {
    const command = [MACHINE_PROBE, ...c.args];
    const { argv, env } = await runOnce(hostileService(command, c.env));
    expect(argv).toEqual(command);
    const expected = new Map([
      ['PATH', SCRIPT_PATH],
      ['USER', 'daemon'],
      ['LOGNAME', 'daemon'],
      ['HOME', daemonHome],
    ]);
    for (const [name, value] of specEnvironment(c.env)) expected.set(name, value);
    expect(env).toEqual(expected);
  }

  it('carries every hostile token exactly', async () => {
    await roundTrip(everyTokenCase());
  }, 60_000);

  it('carries random hostile arguments and values exactly', async () => {
    await fc.assert(fc.asyncProperty(hostileCase(1), roundTrip), { numRuns: 12 });
  }, PROPERTY_MS);

  it("reads the environment file as runit's reader does, and s6-envdir -f keeps what it read exactly", async () => {
    m.writeFile('/etc/pvpn-hostile/job.env', ENV_FILE_TEXT, 0o600);
    const service = { ...hostileService([MACHINE_PROBE], []), environmentFile: '/etc/pvpn-hostile/job.env' };
    const { env } = await runOnce(service);
    for (const [name, value] of Object.entries(ENV_FILE_EXPECTED)) expect(env.get(name), name).toBe(value);
    // runit's reader takes backslashes as they are; unlike chpst -e, s6-envdir -f keeps trailing blanks in quotes
    const s6 = { ...Object.fromEntries(Object.entries(ENV_FILE_DIFFERENCES).map(([k, v]) => [k, v.runit])), DQ: 'double quoted  ' };
    for (const [name, value] of Object.entries(s6)) expect(env.get(name), name).toBe(value);
  }, 60_000);

  it('stops without leaving a process or state behind', async () => {
    await expectCleanStop(m, ns);
  }, 60_000);
});

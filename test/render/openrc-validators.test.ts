/**
 * Every file the OpenRC target renders for the fixtures, checked by the real tools: `shellcheck -s sh` and `dash -n`
 * on the init scripts and the run scripts, and OpenRC 0.63 itself in a throwaway machine (test/harness/
 * openrc-sandbox.sh): `rc-update -u` caches the dependencies of every init script without a complaint, each
 * script's depend() says what the spec's after/wants say, and `rc-service NAME describe` reads its description.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { compileSpec } from '../../src/model/compile.js';
import { openrcDependency } from '../../src/targets/openrc/render.js';
import type { InitMachine } from '../harness/init-machine.js';
import { bootOpenrc } from '../harness/openrc-sandbox.js';
import { fixturesFor, renderFixture } from '../support/fixtures.js';
import { FIXTURES } from '../support/paths.js';
import { requireTool } from '../support/tools.js';

const files = (name: string) => renderFixture(name, 'openrc').entries.flatMap((e) => (e.kind === 'file' ? [e] : []));

describe.each(fixturesFor('openrc'))('fixture %s', (name) => {
  test('shellcheck -s sh and dash -n pass on every init script and run script', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pvpn-openrc-'));
    const scripts = files(name).map((e, i) => {
      const path = `${dir}/${i}-${e.path.replaceAll('/', '_')}`;
      writeFileSync(path, e.content, { mode: e.mode });
      return path;
    });
    expect(scripts.length).toBeGreaterThanOrEqual(2);
    const shellcheck = spawnSync(requireTool('shellcheck'), ['-s', 'sh', '--severity=style', ...scripts], { encoding: 'utf8' });
    expect(shellcheck.stdout + shellcheck.stderr).toBe('');
    expect(shellcheck.status).toBe(0);
    for (const script of scripts) {
      const dash = spawnSync(requireTool('dash'), ['-n', script], { encoding: 'utf8' });
      expect(dash.stderr, script).toBe('');
      expect(dash.status, script).toBe(0);
    }
  });
});

describe('OpenRC 0.63 reads every init script (openrc-init as PID 1, rc-update -u, depend, describe)', () => {
  let m: InitMachine;
  beforeAll(async () => {
    m = await bootOpenrc();
  }, 120_000);
  afterAll(async () => {
    await m?.stop();
  });

  test.each(fixturesFor('openrc'))('%s', async (name) => {
    const file = `${FIXTURES}/${name}.yaml`;
    const model = compileSpec(readFileSync(file, 'utf8'), file);
    const written = files(name);
    for (const e of written) {
      await m.exec(['mkdir', '-p', e.path.slice(0, e.path.lastIndexOf('/'))]);
      m.writeFile(e.path, e.content, e.mode);
    }
    try {
      const cache = await m.exec(['rc-update', '-u']);
      expect(cache).toMatchObject({ code: 0, stderr: '', stdout: ' * Caching service dependencies ... [ ok ]\n' });
      for (const service of model.services) {
        const deps = (kind: string, units: readonly string[]) =>
          [...new Set(units.map(openrcDependency).filter((d) => d !== null))].map((d) => `${kind} ${d}\n`).join('');
        expect(await m.exec([`/etc/init.d/${service.name}`, 'depend'])).toMatchObject({ code: 0, stderr: '', stdout: `after localmount\n${deps('after', service.after)}${deps('want', service.wants)}` });
        const described = await m.exec(['rc-service', service.name, 'describe']);
        expect(described.code).toBe(0);
        expect(described.stdout.split('\n')[0]).toBe(` * ${service.description}`);
      }
    } finally {
      await m.exec(['rm', '-f', '--', ...written.map((e) => e.path)]);
    }
  }, 60_000);
});

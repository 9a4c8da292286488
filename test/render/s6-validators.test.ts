/**
 * s6's own parser on every rendered fixture: the source definitions (with Artix's `default` bundle beside them) are
 * compiled by the real s6-rc-compile (scripts/build-inits.sh, PVPN_INITS), which rejects the whole tree on one bad
 * definition; the compiled database holds each pipeline with its logger, and the default bundle lists them. Every
 * run and finish script passes `shellcheck -s sh` and `dash -n`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { S6_FACTS } from '../../src/targets/s6/facts.js';
import { INITS_PREFIX } from '../harness/init-machine.js';
import { fixturesFor, renderFixture } from '../support/fixtures.js';
import { requireTool } from '../support/tools.js';

function s6rc(tool: string): string {
  const path = `${INITS_PREFIX}/bin/${tool}`;
  if (!existsSync(path)) throw new Error(`${path} is missing: build the inits with \`bash scripts/build-inits.sh\` (PVPN_INITS names another prefix)`);
  return path;
}

describe.each(fixturesFor('s6'))('fixture %s on s6', (name) => {
  const rendered = renderFixture(name, 's6');

  test('s6-rc-compile accepts every source definition; the database has each pipeline and the default bundle', () => {
    const root = mkdtempSync(join(tmpdir(), 'pvpn-s6-'));
    for (const e of rendered.entries) {
      if (e.kind !== 'file') continue;
      mkdirSync(dirname(root + e.path), { recursive: true });
      writeFileSync(root + e.path, e.content, { mode: e.mode });
    }
    writeFileSync(`${root}${S6_FACTS.sourceDir}/default/type`, 'bundle\n');
    const db = `${root}/compiled`;
    const compiled = spawnSync(s6rc('s6-rc-compile'), [db, root + S6_FACTS.sourceDir], { encoding: 'utf8' });
    expect(compiled.stderr).toBe('');
    expect(compiled.status).toBe(0);
    const contents = (bundle: string) => spawnSync(s6rc('s6-rc-db'), ['-c', db, 'contents', bundle], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean).sort();
    const services = rendered.services.map((s) => s.name);
    expect(contents('default')).toEqual(services.flatMap((n) => [`${n}-log`, `${n}-srv`]).sort());
    for (const n of services) {
      expect(contents(n)).toEqual([`${n}-log`, `${n}-srv`]);
      const type = spawnSync(s6rc('s6-rc-db'), ['-c', db, 'type', `${n}-srv`], { encoding: 'utf8' });
      expect(type.stdout).toBe('longrun\n');
    }
  });

  test('shellcheck -s sh and dash -n pass on every script', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pvpn-sh-'));
    const scripts = rendered.entries.flatMap((e, i) => {
      if (e.kind !== 'file' || e.mode !== 0o755) return [];
      const path = `${dir}/${i}-${e.path.replaceAll('/', '_')}`;
      writeFileSync(path, e.content, { mode: e.mode });
      return [path];
    });
    expect(scripts.length).toBeGreaterThanOrEqual(2 * rendered.services.length);
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

/**
 * The real tools check every rendered fixture: `systemd-analyze verify` (stub executables under --root, no output
 * allowed: warnings count), `systemd-analyze calendar` for calendar schedules, and `shellcheck -s sh` plus
 * `dash -n` on every runit script. A missing tool fails the test (see test/support/tools.ts).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { compileSpec } from '../../src/model/compile.js';
import type { ServiceModel } from '../../src/model/types.js';
import { FIXTURES } from '../support/paths.js';
import { requireTool } from '../support/tools.js';
import { stageForVerify, verifyUnits } from '../support/verify.js';
import { FIXTURE_NAMES, VARIANTS, renderFixture } from '../support/fixtures.js';

function programsOf(name: string): string[] {
  const file = `${FIXTURES}/${name}.yaml`;
  const model = compileSpec(readFileSync(file, 'utf8'), file);
  return model.services
    .flatMap((s) => [s.command[0], s.precondition?.[0], s.onFailure?.[0], ...reloadPrograms(s.lifecycle.reload), ...[...s.lifecycle.beforeStart, ...s.lifecycle.stop, ...s.lifecycle.afterStop].map((step) => step.command[0])])
    .filter((p): p is string => p !== undefined);
}

/** reload commands, or the kill(1) a reload signal is sent with */
function reloadPrograms(reload: ServiceModel['lifecycle']['reload']): string[] {
  if (reload === null) return [];
  return reload.kind === 'signal' ? ['/bin/kill'] : reload.commands.map((argv) => argv[0]);
}

describe.each(FIXTURE_NAMES)('fixture %s', (name) => {
  test('systemd-analyze verify accepts every unit, with no warnings', () => {
    const rendered = renderFixture(name, 'systemd');
    const result = verifyUnits(stageForVerify(rendered, programsOf(name)), rendered);
    expect(result.output).toBe('');
    expect(result.status).toBe(0);
  });

  test('systemd-sysusers accepts every sysusers.d file (dry run)', () => {
    const rendered = renderFixture(name, 'systemd');
    const files = rendered.entries.filter((e) => e.path.startsWith('/etc/sysusers.d/'));
    const root = stageForVerify(rendered, []);
    for (const file of files) {
      const result = spawnSync(requireTool('systemd-sysusers'), ['--dry-run', `--root=${root}`, root + file.path], { encoding: 'utf8' });
      expect(result.status, result.stderr).toBe(0);
      expect(result.stderr).not.toMatch(/warning|error|ignoring/i);
    }
  });

  test('systemd-analyze calendar accepts every calendar schedule', () => {
    const file = `${FIXTURES}/${name}.yaml`;
    for (const service of compileSpec(readFileSync(file, 'utf8'), file).services) {
      if (service.schedule.kind !== 'calendar') continue;
      const result = spawnSync(requireTool('systemd-analyze'), ['calendar', service.schedule.calendar], { encoding: 'utf8' });
      expect(result.status, result.stderr).toBe(0);
      expect(result.stdout).toContain(`Normalized form: ${service.schedule.calendar}`);
    }
  });

  test.each(VARIANTS.filter(([, target]) => target === 'runit'))('%s: shellcheck -s sh and dash -n pass on every script', (_v, target, layout) => {
    const dir = mkdtempSync(join(tmpdir(), 'pvpn-sh-'));
    const scripts = renderFixture(name, target, layout).entries.flatMap((e, i) => {
      if (e.kind !== 'file') return [];
      const path = `${dir}/${i}-${e.path.replaceAll('/', '_')}`;
      writeFileSync(path, e.content, { mode: e.mode });
      return [path];
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

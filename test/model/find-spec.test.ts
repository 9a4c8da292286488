/**
 * Finding the spec without --spec: cosmiconfig's search, YAML/JSON only (a JavaScript config would run code as
 * root) unless --allow-code-config; the package.json "pvpn-gen" key works, with positions in package.json.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { cli } from '../support/cli.js';
import { specText } from '../support/specs.js';

const project = () => {
  const dir = mkdtempSync(join(tmpdir(), 'pvpn-find-'));
  writeFileSync(join(dir, 'package.json'), '{"name": "x"}\n'); // the search stops at the project root
  mkdirSync(join(dir, 'deep/er'), { recursive: true });
  return dir;
};

describe('spec search', () => {
  test.each(['pvpn-gen.yaml', 'pvpn-gen.yml', 'pvpn-gen.json', '.pvpn-genrc', '.pvpn-genrc.yaml', '.config/pvpn-genrc.yml'])('%s, found from a subdirectory', async (name) => {
    const dir = project();
    mkdirSync(join(dir, '.config'), { recursive: true });
    const text = name.endsWith('.json') ? JSON.stringify({ version: 1, services: { job: { command: ['/bin/true'] } } }) : specText([{ name: 'job' }]);
    writeFileSync(join(dir, name), text);
    const result = await cli(['validate'], { cwd: join(dir, 'deep/er') });
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/valid, 1 service: job\n$/);
  });

  test('the "pvpn-gen" key of package.json, with positions in package.json', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pvpn-find-'));
    writeFileSync(join(dir, 'package.json'), '{\n  "name": "x",\n  "pvpn-gen": {\n    "version": 1,\n    "services": { "job": { "command": ["bin/true"] } }\n  }\n}\n');
    const result = await cli(['validate'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('package.json:5:40: error: /services/job/command/0:');
  });

  test('a JavaScript config file is refused unless --allow-code-config', async () => {
    const dir = project();
    writeFileSync(join(dir, '.pvpn-genrc.js'), 'module.exports = { version: 1, services: { job: { command: ["/bin/true"] } } };\n');
    const refused = await cli(['validate'], { cwd: dir });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/no spec found|is JavaScript/);
    const allowed = await cli(['--allow-code-config', 'validate'], { cwd: dir });
    expect(allowed.stderr).toBe('');
    expect(allowed.code).toBe(0);
  });

  test('--spec naming a JavaScript file is refused unless --allow-code-config (sudo must not run code by surprise)', async () => {
    const dir = project();
    writeFileSync(join(dir, 'spec.cjs'), 'module.exports = { version: 1, services: { job: { command: ["/bin/true"] } } };\n');
    const refused = await cli(['--spec', 'spec.cjs', 'validate'], { cwd: dir });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe('pvpn-gen: spec.cjs is JavaScript; pvpn-gen only runs code config files with --allow-code-config\n');
    const allowed = await cli(['--allow-code-config', '--spec', 'spec.cjs', 'validate'], { cwd: dir });
    expect(allowed.code).toBe(0);
  });

  test('no spec anywhere: what was looked for, and the fix', async () => {
    const result = await cli(['validate'], { cwd: project() });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/no spec found in .* \(looked for pvpn-gen\.yaml, pvpn-gen\.yml, pvpn-gen\.json, \.pvpn-genrc\*, package\.json "pvpn-gen"\); pass --spec FILE or run `pvpn-gen init`/);
  });
});

describe('init', () => {
  test('writes a starter spec that validates, and never replaces a file unasked', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pvpn-init-'));
    const first = await cli(['init'], { cwd: dir });
    expect(first.code).toBe(0);
    expect((await cli(['validate'], { cwd: dir })).code).toBe(0);
    const again = await cli(['init'], { cwd: dir });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('pvpn-gen.yaml already exists; use --force to replace it');
    expect((await cli(['init', '--force'], { cwd: dir })).code).toBe(0);
  });
});

/**
 * The npm package and the distribution packages (issue 15): `npm pack` holds what pvpn-gen needs to run and
 * nothing of the checkout; a global install of that tarball on an empty prefix runs, links the man page and
 * prints completions; packaging/ (Arch PKGBUILD, Void template) carries package.json's version and parses.
 * makepkg itself is not run here: the PKGBUILD fetches the npm dependencies in package(), which needs the network
 * (run by hand: it builds a package with the CLI, the man page, the completions and the schema).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { REPO, SEED_SPEC } from '../support/paths.js';
import { requireTool } from '../support/tools.js';

const pkg = JSON.parse(readFileSync(`${REPO}/package.json`, 'utf8')) as { version: string; description: string; engines: { node: string } };
let tarball: string;
let files: string[];

beforeAll(() => {
  if (!existsSync(`${REPO}/dist/pvpn-gen.1`)) throw new Error('dist/ is missing: run `npm run build` first (npm test does)');
  const out = mkdtempSync(join(tmpdir(), 'pvpn-pack-'));
  const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', out], { cwd: REPO, encoding: 'utf8' })) as Array<{ filename: string; files: Array<{ path: string }> }>;
  tarball = join(out, packed[0]?.filename as string);
  files = (packed[0]?.files ?? []).map((f) => f.path);
}, 120_000);

describe('npm pack', () => {
  test('holds the CLI, every command bundle, the man page, the completions, the schema and the templates', () => {
    expect(files).toEqual(expect.arrayContaining(['package.json', 'README.md', 'bin/pvpn-gen.js', 'dist/cli.js', 'dist/index.mjs', 'dist/pvpn-gen.1', 'schema/pvpn-gen.schema.json']));
    expect(files).toEqual(expect.arrayContaining(['dist/completions/pvpn-gen', 'dist/completions/_pvpn-gen', 'dist/completions/pvpn-gen.fish']));
    expect(files.some((f) => f.startsWith('templates/') && f.endsWith('.hbs'))).toBe(true);
    expect(files.filter((f) => /^dist\/commands\/[a-z-]+\.js$/.test(f)).length).toBeGreaterThanOrEqual(17);
  });

  test('and nothing of the checkout: no sources, tests, fixtures, scripts or packaging', () => {
    const top = new Set(files.map((f) => f.split('/')[0]));
    expect([...top].sort()).toEqual(['README.md', 'bin', 'dist', 'package.json', 'schema', 'templates']);
  });
});

test('a global install of the tarball on an empty prefix: --version, render, completion, man', () => {
  const prefix = mkdtempSync(join(tmpdir(), 'pvpn-prefix-'));
  execFileSync('npm', ['install', '-g', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', tarball], { encoding: 'utf8', stdio: 'pipe' });
  const bin = join(prefix, 'bin/pvpn-gen');
  const run = (args: string[]) => spawnSync(bin, args, { encoding: 'utf8', cwd: prefix, env: { ...process.env, PVPN_GEN_RENDERER: 'silent' } });
  expect(run(['--version']).stdout).toBe(`${pkg.version}\n`);
  const rendered = run(['--spec', SEED_SPEC, 'render', '--target', 'systemd']);
  expect(rendered.status).toBe(0);
  expect(rendered.stdout).toContain('==> /etc/systemd/system/protonvpn-updater.service <==');
  expect(run(['completion', 'zsh']).stdout).toMatch(/^#compdef pvpn-gen\n/);
  // npm links package.json's "man" into PREFIX/share/man, where man finds it by name
  const page = join(prefix, 'share/man/man1/pvpn-gen.1');
  expect(readlinkSync(page)).toMatch(/node_modules\/pvpn-gen\/dist\/pvpn-gen\.1$/);
  const man = spawnSync(requireTool('man'), ['pvpn-gen'], { encoding: 'utf8', env: { ...process.env, MANPATH: join(prefix, 'share/man'), MANPAGER: 'cat', MANWIDTH: '100' } });
  expect(man.stdout).toContain('pvpn-gen completion');
}, 300_000);

describe('packaging/', () => {
  const pkgbuild = `${REPO}/packaging/arch/PKGBUILD`;
  const template = `${REPO}/packaging/void/srcpkgs/pvpn-gen/template`;
  /** The variables a file of shell assignments defines, as bash reads them (makepkg and xbps-src source them). */
  const vars = (file: string, names: string[]) =>
    execFileSync(requireTool('bash'), ['-c', `set -e; source "$1"; shift; for n in "$@"; do declare -p "$n" 2>/dev/null || echo "$n="; done`, 'bash', file, ...names], { encoding: 'utf8' });

  test('both parse (bash -n) and carry package.json version', () => {
    for (const file of [pkgbuild, template]) execFileSync(requireTool('bash'), ['-n', file]);
    expect(vars(pkgbuild, ['pkgver'])).toContain(`pkgver="${pkg.version}"`);
    expect(vars(template, ['version'])).toContain(`version="${pkg.version}"`);
  });

  test('the PKGBUILD: the fields makepkg requires, the Node version of engines, package() installs what Arch expects where', () => {
    const out = vars(pkgbuild, ['pkgname', 'pkgrel', 'pkgdesc', 'arch', 'license', 'depends', 'source', 'sha256sums']);
    expect(out).toContain('pkgname="pvpn-gen"');
    expect(out).toMatch(/arch=\(\[0\]="any"\)/);
    expect(out).toContain(`nodejs${pkg.engines.node}`);
    expect(out).toMatch(/source=\(\[0\]="https:\/\/registry\.npmjs\.org\/pvpn-gen\/-\/pvpn-gen-[0-9.]+\.tgz"\)/);
    const text = readFileSync(pkgbuild, 'utf8');
    for (const path of ['/usr/share/bash-completion/completions/pvpn-gen', '/usr/share/zsh/site-functions/_pvpn-gen', '/usr/share/fish/vendor_completions.d/pvpn-gen.fish', '/usr/share/pvpn-gen/pvpn-gen.schema.json']) {
      expect(text).toContain(`"$pkgdir${path}"`);
    }
    // each file package() installs is in the tarball
    for (const file of ['dist/completions/pvpn-gen', 'dist/completions/_pvpn-gen', 'dist/completions/pvpn-gen.fish', 'schema/pvpn-gen.schema.json']) expect(files).toContain(file);
  });

  test('the Void template: its fields, and vcompletion for the three shells', () => {
    const out = vars(template, ['pkgname', 'revision', 'short_desc', 'license', 'homepage', 'distfiles', 'depends']);
    expect(out).toContain('pkgname="pvpn-gen"');
    expect(out).toContain(`nodejs${pkg.engines.node}`);
    expect(out).toMatch(/distfiles="https:\/\/registry\.npmjs\.org\/pvpn-gen\/-\/pvpn-gen-[0-9.]+\.tgz"/);
    // xlint: short_desc starts upper case, has no trailing period, at most 72 characters
    const desc = /short_desc="([^"]*)"/.exec(out)?.[1] ?? '';
    expect(desc).toMatch(/^[A-Z].*[^.]$/);
    expect(desc.length).toBeLessThanOrEqual(72);
    const text = readFileSync(template, 'utf8');
    for (const shell of ['bash', 'zsh', 'fish']) expect(text).toMatch(new RegExp(`vcompletion "[^"]+" ${shell}\\n`));
  });
});

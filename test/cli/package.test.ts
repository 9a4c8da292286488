/**
 * The npm package and the distribution packages (issue 15): `npm pack` holds what pvpn-gen needs to run and
 * nothing of the checkout; a global install of that tarball on an empty prefix runs, links the man page and
 * prints completions; packaging/ (Arch PKGBUILD, Void template) carries package.json's version and parses.
 * Debian's makepkg builds the PKGBUILD for real, as nobody, in a network namespace of its own: from that tarball
 * with its sha256 filled in, and an npm cache of the dependencies filled beforehand (that step, outside the build,
 * is the only one with the network). xbps-src is not run (not in Debian): test/packaging/void-template.test.ts lints the Void template.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chownSync, cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, test } from 'vitest';
import { BIN, REPO, SEED_SPEC } from '../support/paths.js';
import { requireRoot, requireTool } from '../support/tools.js';

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

let cacheFilled: string | undefined;
/**
 * The package's dependencies in an npm cache, fetched before any build and with the network (the one step that has
 * it), kept in node_modules/.cache so that a second run asks the registry nothing new. A build given this cache and
 * npm_config_offline installs the tarball without the network.
 */
function dependencyCache(): string {
  if (cacheFilled) return cacheFilled;
  const cache = `${REPO}/node_modules/.cache/pvpn-gen-packaging-npm`;
  const prefix = mkdtempSync(join(tmpdir(), 'pvpn-fetch-'));
  execFileSync('npm', ['install', '-g', '--prefix', prefix, '--cache', cache, '--prefer-offline', '--no-audit', '--no-fund', '--omit=dev', tarball], { stdio: 'pipe' });
  cacheFilled = cache;
  return cache;
}

describe('makepkg builds the PKGBUILD: as nobody, without the network, from the npm tarball', () => {
  const NOBODY = 65534;
  let work: string;
  let build: { status: number | null; log: string };
  let root: string; // the package, unpacked
  let listing: string; // bsdtar -tv of the package
  /** makepkg in DIR as nobody, in a network namespace of its own (no interface up: a download or a request to the
   * registry fails), npm told to use the cache laid beside it and nothing else. */
  const makepkg = (dir: string, args: string[]) => {
    const r = spawnSync(
      requireTool('unshare'),
      ['--net', '--', requireTool('setpriv'), `--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', '--', requireTool('makepkg'), ...args],
      {
        cwd: dir,
        encoding: 'utf8',
        env: { PATH: process.env.PATH, HOME: join(work, 'home'), LANG: 'C.UTF-8', npm_config_cache: join(work, 'npm-cache'), npm_config_offline: 'true' },
      },
    );
    return { status: r.status, log: `${r.stdout}${r.stderr}` };
  };
  /** DIR with the PKGBUILD, its sha256sums filled in for TARBALL (what updpkgsums does), and TARBALL beside it. */
  const layBuildDir = (dir: string, tgz: string, sum: string) => {
    mkdirSync(dir);
    const text = readFileSync(`${REPO}/packaging/arch/PKGBUILD`, 'utf8');
    expect(text).toContain("sha256sums=('SKIP')");
    writeFileSync(join(dir, 'PKGBUILD'), text.replace("sha256sums=('SKIP')", `sha256sums=('${sum}')`));
    cpSync(tgz, join(dir, `pvpn-gen-${pkg.version}.tgz`));
  };
  const chownTree = (dir: string) => execFileSync('chown', ['-R', `${NOBODY}:${NOBODY}`, dir]);

  beforeAll(() => {
    requireRoot('makepkg refuses to run as root: the build runs as nobody, in a network namespace (unshare --net)');
    for (const tool of ['makepkg', 'fakeroot', 'bsdtar']) requireTool(tool);
    work = mkdtempSync(join(tmpdir(), 'pvpn-makepkg-'));
    mkdirSync(join(work, 'home'));
    cpSync(dependencyCache(), join(work, 'npm-cache'), { recursive: true }); // nobody's own copy
    const sum = createHash('sha256').update(readFileSync(tarball)).digest('hex');
    layBuildDir(join(work, 'build'), tarball, sum);
    chownTree(work);
    chownSync(work, 0, 0);
    execFileSync('chmod', ['755', work]);
    build = makepkg(join(work, 'build'), ['--nodeps', '--noconfirm']);
    if (build.status !== 0) throw new Error(`makepkg failed (exit status ${build.status}):\n${build.log}`);
    const file = join(work, 'build', `pvpn-gen-${pkg.version}-1-any.pkg.tar.gz`);
    listing = execFileSync(requireTool('bsdtar'), ['-tvf', file], { encoding: 'utf8' });
    root = join(work, 'root');
    mkdirSync(root);
    execFileSync(requireTool('bsdtar'), ['-xf', file, '-C', root]);
  }, 900_000);

  test('makepkg takes the tarball beside the PKGBUILD, checks its sha256 and runs package() under fakeroot', () => {
    expect(build.log).toContain(`-> Found pvpn-gen-${pkg.version}.tgz`);
    expect(build.log).toContain('==> Validating source files with sha256sums...');
    expect(build.log).toContain(`pvpn-gen-${pkg.version}.tgz ... Passed`);
    expect(build.log).toContain('==> Entering fakeroot environment...');
    expect(build.log).toMatch(/==> Finished making: pvpn-gen 0\.1\.0-1/);
  });

  test('a tarball that differs from the checksum stops the build', () => {
    const other = join(work, 'other.tgz');
    writeFileSync(other, Buffer.concat([readFileSync(tarball), Buffer.from([0])]));
    layBuildDir(join(work, 'tampered'), other, createHash('sha256').update(readFileSync(tarball)).digest('hex'));
    chownTree(join(work, 'tampered'));
    const r = makepkg(join(work, 'tampered'), ['--verifysource', '--nodeps']);
    expect(r.status).not.toBe(0);
    expect(r.log).toContain(`pvpn-gen-${pkg.version}.tgz ... FAILED`);
  }, 300_000);

  test('the package: the CLI, the man page, the completions and the schema at the paths Arch uses, owned by root', () => {
    const entry = (path: string) => listing.split('\n').find((line) => line.endsWith(` ${path}`) || line.includes(` ${path} -> `));
    expect(entry('usr/bin/pvpn-gen')).toMatch(/^l.* usr\/bin\/pvpn-gen -> \.\.\/lib\/node_modules\/pvpn-gen\/bin\/pvpn-gen\.js$/);
    for (const path of [
      'usr/share/man/man1/pvpn-gen.1.gz',
      'usr/share/bash-completion/completions/pvpn-gen',
      'usr/share/zsh/site-functions/_pvpn-gen',
      'usr/share/fish/vendor_completions.d/pvpn-gen.fish',
      'usr/share/pvpn-gen/pvpn-gen.schema.json',
    ]) {
      expect(entry(path), path).toMatch(/^-rw-r--r-- /);
    }
    // every file is root's (bsdtar -tv: mode, links, owner, group, ...), and none is writable by others
    const owners = new Set(listing.split('\n').filter(Boolean).map((line) => line.split(/\s+/).slice(2, 4).join(':')));
    expect([...owners]).toEqual(['root:root']);
    expect(listing.split('\n').filter((line) => /^.{8}w/.test(line) && !line.startsWith('l'))).toEqual([]);
    const info = readFileSync(join(root, '.PKGINFO'), 'utf8');
    expect(info).toContain(`pkgver = ${pkg.version}-1\n`);
    expect(info).toContain(`depend = nodejs${pkg.engines.node}\n`);
  });

  test('what it installs is what the build made, and nothing in it names the build directory', () => {
    const completion = (shell: string) => execFileSync(process.execPath, [BIN, 'completion', shell], { encoding: 'utf8' });
    expect(readFileSync(join(root, 'usr/share/bash-completion/completions/pvpn-gen'), 'utf8')).toBe(completion('bash'));
    expect(readFileSync(join(root, 'usr/share/zsh/site-functions/_pvpn-gen'), 'utf8')).toBe(completion('zsh'));
    expect(readFileSync(join(root, 'usr/share/fish/vendor_completions.d/pvpn-gen.fish'), 'utf8')).toBe(completion('fish'));
    expect(readFileSync(join(root, 'usr/share/pvpn-gen/pvpn-gen.schema.json'), 'utf8')).toBe(readFileSync(`${REPO}/schema/pvpn-gen.schema.json`, 'utf8'));
    expect(gunzipSync(readFileSync(join(root, 'usr/share/man/man1/pvpn-gen.1.gz'))).toString('utf8')).toBe(readFileSync(`${REPO}/dist/pvpn-gen.1`, 'utf8'));
    const leaks = spawnSync('grep', ['-rlF', work, join(root, 'usr')], { encoding: 'utf8' });
    expect(leaks.stdout).toBe('');
  });

  test('the packaged CLI runs: --version, render, and man shows its page', () => {
    expect(lstatSync(join(root, 'usr/bin/pvpn-gen')).isSymbolicLink()).toBe(true);
    const cli = (args: string[]) => spawnSync(join(root, 'usr/bin/pvpn-gen'), args, { encoding: 'utf8', cwd: work, env: { ...process.env, PVPN_GEN_RENDERER: 'silent' } });
    expect(cli(['--version']).stdout).toBe(`${pkg.version}\n`);
    const rendered = cli(['--spec', SEED_SPEC, 'render', '--target', 'runit']);
    expect(rendered.status).toBe(0);
    expect(rendered.stdout).toContain('==> /etc/runit/sv/protonvpn-updater/run <==');
    // its dependencies came with it: the package's own node_modules
    expect(readdirSync(join(root, 'usr/lib/node_modules/pvpn-gen/node_modules'))).toEqual(expect.arrayContaining(['ajv', 'handlebars', 'yaml']));
    const man = spawnSync(requireTool('man'), ['pvpn-gen'], { encoding: 'utf8', env: { ...process.env, MANPATH: join(root, 'usr/share/man'), MANPAGER: 'cat', MANWIDTH: '100' } });
    expect(man.stdout).toContain('pvpn-gen completion');
  });
});

test('the Void template: do_install, run by bash without the network, with stand-ins for the xbps-src helpers it calls', () => {
  // Not xbps-src (not in Debian; it builds in a Void chroot): vcompletion and vinstall as void-packages' Manual.md
  // describes them, wrksrc and XBPS_SRCDISTDIR laid out as xbps-src lays them. It shows that the npm command line
  // works from the distfile and that the paths it installs exist in the tarball.
  requireRoot('unshare --net: do_install runs in a network namespace of its own, as the build does');
  const dir = mkdtempSync(join(tmpdir(), 'pvpn-void-'));
  const sources = join(dir, 'sources');
  mkdirSync(join(sources, `pvpn-gen-${pkg.version}`), { recursive: true });
  cpSync(tarball, join(sources, `pvpn-gen-${pkg.version}`, `pvpn-gen-${pkg.version}.tgz`));
  const destdir = join(dir, 'destdir');
  // the cache do_install names (${wrksrc}/npm-cache) holds the dependencies already: xbps-src passes no npm_config_*
  // into its chroot, so offline is the one setting given
  cpSync(dependencyCache(), join(dir, 'builddir', `pvpn-gen-${pkg.version}`, 'npm-cache'), { recursive: true });
  const script = [
    'set -e',
    'vcompletion() {',
    '  local cmd="${3:-$pkgname}"',
    '  case "$2" in',
    '    bash) install -Dm644 "$1" "$DESTDIR/usr/share/bash-completion/completions/$cmd" ;;',
    '    zsh) install -Dm644 "$1" "$DESTDIR/usr/share/zsh/site-functions/_$cmd" ;;',
    '    fish) install -Dm644 "$1" "$DESTDIR/usr/share/fish/vendor_completions.d/$cmd.fish" ;;',
    '    *) echo "vcompletion: no shell $2" >&2; return 1 ;;',
    '  esac',
    '}',
    'vinstall() { install -Dm"$2" "$1" "$DESTDIR/$3/${4:-${1##*/}}"; }',
    '. "$1"',
    'wrksrc="$XBPS_BUILDDIR/$pkgname-$version"',
    'cd "$wrksrc"', // create_wrksrc=yes made it
    'do_install',
  ].join('\n');
  const r = spawnSync(requireTool('unshare'), ['--net', '--', requireTool('bash'), '-c', script, 'bash', `${REPO}/packaging/void/srcpkgs/pvpn-gen/template`], {
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH,
      HOME: dir,
      DESTDIR: destdir,
      XBPS_SRCDISTDIR: sources,
      XBPS_BUILDDIR: join(dir, 'builddir'),
      npm_config_offline: 'true',
    },
  });
  expect(r.status, r.stderr).toBe(0);
  for (const path of [
    'usr/share/bash-completion/completions/pvpn-gen',
    'usr/share/zsh/site-functions/_pvpn-gen',
    'usr/share/fish/vendor_completions.d/pvpn-gen.fish',
    'usr/share/pvpn-gen/pvpn-gen.schema.json',
  ]) {
    expect(lstatSync(join(destdir, path)).isFile(), path).toBe(true);
  }
  expect(readlinkSync(join(destdir, 'usr/share/man/man1/pvpn-gen.1'))).toBe('../../../lib/node_modules/pvpn-gen/dist/pvpn-gen.1');
  const version = spawnSync(join(destdir, 'usr/bin/pvpn-gen'), ['--version'], { encoding: 'utf8' });
  expect(version.stdout).toBe(`${pkg.version}\n`);
}, 600_000);

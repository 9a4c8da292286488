#!/usr/bin/env node
// Bundles pvpn-gen with esbuild, for start-up speed (a CLI people and CI run often):
//  - dist/cli.js: a small CommonJS entry (no ESM loader, no CLI framework): the command table, the parser, the
//    error handler; it loads one command bundle per run.
//  - dist/commands/NAME.js: one self-contained CommonJS bundle per command, each with a V8 code cache
//    (NAME.js.cache) made here by running the command once; bin/pvpn-gen.js loads dist/cli.js (with its own
//    cache) and the command bundles.
//  - dist/index.mjs: the programmatic API (ESM, no side effects).
// Run after scripts/generate.mjs (npm run build does both).
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { importTs } from './import-ts.mjs';

const root = new URL('..', import.meta.url).pathname;
const dist = join(root, 'dist');
rmSync(dist, { recursive: true, force: true });

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  minifySyntax: true,
  minifyWhitespace: true,
  // cosmiconfig can load TypeScript configs through an optional `typescript` import; we never do (YAML/JSON only).
  external: ['typescript'],
  legalComments: 'none',
  logLevel: 'warning',
  absWorkingDir: root,
};

// The CLI's own loader of command bundles replaces the development one (plain dynamic imports).
const bundleLoader = {
  name: 'bundle-loader',
  setup(b) {
    b.onResolve({ filter: /\/load-command\.js$/ }, (args) =>
      args.importer.endsWith('load-command.bundle.ts') ? undefined : { path: join(root, 'src/cli/load-command.bundle.ts') },
    );
  },
};

// The command list (src/cli/commands-table.ts) names the bundles: command NAME is src/cli/commands/NAME.ts.
const commands = (await importTs('src/cli/commands-table.ts')).COMMANDS.map((c) => c.name);
await Promise.all([
  build({ ...common, format: 'cjs', entryPoints: { cli: 'src/cli/entry.ts' }, outdir: dist, plugins: [bundleLoader] }),
  build({
    ...common,
    format: 'cjs',
    entryPoints: Object.fromEntries(commands.map((c) => [c, `src/cli/commands/${c}.ts`])),
    outdir: join(dist, 'commands'),
    // Needed only off the hot path (no --spec given; --templates overrides): loaded from node_modules when used,
    // so they do not weigh on every run of the command (the built-in templates need no Handlebars at run time).
    plugins: [{ name: 'off-the-hot-path', setup: (b) => b.onResolve({ filter: /^(cosmiconfig|handlebars)$/ }, (args) => ({ path: args.path, external: true })) }],
    // import() of those becomes require(): a vm.Script (the code cache loader) has no dynamic-import callback
    supported: { 'dynamic-import': false },
  }),
  build({
    ...common,
    format: 'esm',
    entryPoints: { index: 'src/index.ts' },
    outdir: dist,
    outExtension: { '.js': '.mjs' },
    // CommonJS dependencies (handlebars, ajv's runtime) call require() for Node built-ins.
    banner: { js: "import { createRequire as __pvpnCreateRequire } from 'node:module'; const require = __pvpnCreateRequire(import.meta.url);" },
  }),
]);
// dist/ is CommonJS (the package is ESM): no ESM loader on the start-up path.
writeFileSync(join(dist, 'package.json'), '{ "type": "commonjs" }\n');

// The man page and the completion scripts, from the command list (and the README's exit codes): package.json "man"
// names the page; packages (packaging/) install the scripts where each shell looks. Dated by SOURCE_DATE_EPOCH
// when set (reproducible builds), else by the last commit, else left undated.
{
  const { manPage, readmeExitCodes } = await importTs('src/cli/man.ts');
  const { completionScript } = await importTs('src/cli/completion/index.ts');
  const { COMMANDS } = await importTs('src/cli/commands-table.ts');
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const git = spawnSync('git', ['log', '-1', '--format=%ct'], { cwd: root, encoding: 'utf8' });
  const epoch = process.env.SOURCE_DATE_EPOCH ?? (git.status === 0 ? git.stdout.trim() : '');
  const date = epoch ? new Date(Number(epoch) * 1000).toISOString().slice(0, 10) : '';
  writeFileSync(join(dist, 'pvpn-gen.1'), manPage({ commands: COMMANDS, version, date, exitCodes: readmeExitCodes(readFileSync(join(root, 'README.md'), 'utf8')) }));
  mkdirSync(join(dist, 'completions'));
  for (const [shell, file] of [['bash', 'pvpn-gen'], ['zsh', '_pvpn-gen'], ['fish', 'pvpn-gen.fish']]) {
    writeFileSync(join(dist, 'completions', file), completionScript(shell, COMMANDS));
  }
}

// Warm a code cache for every command bundle (a failing run caches too), so that an installed pvpn-gen never writes
// one at run time (it would, into its own package directory, only after a node upgrade rejects these). A command
// run with --target has a cache per target. Nothing here touches the machine: installs go to a staging root, and
// the control commands name a project that is not installed, so they stop before running sv or systemctl.
const stage = mkdtempSync(join(tmpdir(), 'pvpn-gen-build-'));
for (const target of ['systemd', 'runit']) mkdirSync(join(stage, target));
const spec = join(root, 'fixtures/protonvpn-updater.yaml');
const notInstalled = ['--project', 'pvpn-gen-build-warm-up-not-installed'];
// set and unset edit a copy (init writes its own file)
const specOf = (command) => (command === 'init' ? join(stage, 'init.yaml') : command === 'set' || command === 'unset' ? join(stage, 'edit.yaml') : spec);
copyFileSync(spec, join(stage, 'edit.yaml'));
// [exit code the run must end with, arguments]: a run that fails early would cache little (diff of a missing root
// once cached only the argument parsing), so an unexpected exit code fails the build
for (const [expected, ...args] of [
  [0, 'validate'],
  [0, 'render', '--target', 'systemd'],
  [0, 'render', '--target', 'runit'],
  [0, 'export', 'ansible', '--out', join(stage, 'ansible')],
  [1, 'diff', '--target', 'systemd', '--root', join(stage, 'systemd')],
  [1, 'diff', '--target', 'runit', '--root', join(stage, 'runit')],
  [0, 'install', '--yes', '--target', 'systemd', '--root', join(stage, 'systemd')],
  [0, 'install', '--yes', '--target', 'runit', '--root', join(stage, 'runit')],
  [0, 'uninstall', '--yes', '--root', join(stage, 'systemd')],
  [1, 'status', ...notInstalled],
  ...['start', 'stop', 'restart', 'run-now'].map((verb) => [1, verb, ...notInstalled]),
  [1, 'logs', ...notInstalled],
  [1, 'detect', '--root', stage],
  [0, 'schema'],
  [0, 'init', '--force'],
  [0, 'set', 'protonvpn-updater.interval', '2h'],
  [0, 'unset', 'protonvpn-updater.onBoot'],
  [0, 'completion', 'bash'],
  [0, 'completion', '--list', 'services'],
]) {
  const result = spawnSync(process.execPath, [join(root, 'bin/pvpn-gen.js'), '--spec', specOf(args[0]), ...args], {
    encoding: 'utf8',
    env: { ...process.env, PVPN_GEN_RENDERER: 'silent' },
  });
  if (result.status !== expected) {
    throw new Error(`build: warming the code cache with \`pvpn-gen ${args.join(' ')}\` exited ${result.status} (expected ${expected}):\n${result.stderr}`);
  }
}
rmSync(stage, { recursive: true, force: true });
const bundles = [join(dist, 'cli.js'), ...readdirSync(join(dist, 'commands')).filter((f) => f.endsWith('.js')).map((f) => join(dist, 'commands', f))];
const uncached = bundles.filter((file) => !readdirSync(dirname(file)).some((f) => f.startsWith(`${basename(file)}.`) && f.endsWith('.cache')));
if (uncached.length > 0) throw new Error(`build: no code cache was made for ${uncached.join(', ')}; warm them above`);

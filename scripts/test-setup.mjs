// The first step of `npm test`: what the suite needs beyond the checkout, installed when it is missing, so the
// README's test command passes on a fresh Debian 12 machine by itself (and `.ci/run` is that command).
// - The Debian packages of test/support/tools.json, the one list of the programs the tests run (their missing-tool
//   messages read it too). Checking is a PATH lookup per program, no process started; when some are
//   missing, root installs them with apt-get, anyone else gets one message with the packages and exit status 1,
//   so no test runs half-equipped. Without root the suite stops here too: most of it needs root.
// - node_modules (`npm ci`) when the checkout has none.
// A second run finds everything and installs nothing.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const LIST = 'test/support/tools.json';
/** @type {{ package: string, provides: string[], why: string }[]} */
const TOOLS = JSON.parse(readFileSync(join(REPO, LIST), 'utf8'));

/**
 * `command -v NAME` without a shell: an executable file in a PATH directory; an absolute path must just exist.
 * A lookup misses in most PATH directories: statSync reports that without an exception, which costs more than the
 * lookup; other errors (a directory we may not search) still throw.
 */
function found(name) {
  if (name.startsWith('/')) return existsSync(name);
  return (process.env.PATH ?? '').split(delimiter).some((dir) => {
    try {
      const stat = statSync(join(dir || '.', name), { throwIfNoEntry: false });
      return stat?.isFile() === true && (stat.mode & 0o111) !== 0;
    } catch {
      return false;
    }
  });
}

/** The packages with something missing, each with what is missing of it. */
function missingPackages() {
  return TOOLS.map((tool) => ({ ...tool, missing: tool.provides.filter((name) => !found(name)) })).filter((tool) => tool.missing.length > 0);
}

function report(packages) {
  return packages.map((p) => `  ${p.package} (for ${p.missing.join(', ')}): ${p.why}`).join('\n');
}

function fail(message) {
  process.stderr.write(`npm test: ${message}\n`);
  process.exit(1);
}

function run(file, args) {
  const result = spawnSync(file, args, { stdio: 'inherit', cwd: REPO, env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  if (result.status !== 0) fail(`\`${file} ${args.join(' ')}\` failed (${result.error?.message ?? `exit status ${result.status ?? result.signal}`})`);
}

const missing = missingPackages();
const names = missing.map((p) => p.package).join(' ');
if (missing.length > 0 && !found('apt-get')) {
  fail(`the tests need programs this machine lacks, and it has no apt-get to install them. Install these (Debian package names, from ${LIST}), then run npm test again:\n${report(missing)}`);
}
if (process.getuid?.() !== 0) {
  fail(
    missing.length > 0
      ? `the tests need programs this machine lacks:\n${report(missing)}\nRun the tests as root (sudo npm test), which installs them, or install them first: sudo apt-get install ${names}`
      : 'the whole suite runs as root (sudo npm test): it boots init systems in namespaces and installs as root. Without root, `npm run test:unit` runs the tests that need neither root nor these programs.',
  );
}
if (missing.length > 0) {
  process.stdout.write(`npm test: installing what the tests need (${LIST}): ${names}\n`);
  // DPkg::Lock::Timeout: wait for another apt run instead of failing at once
  const lock = ['-o', 'DPkg::Lock::Timeout=600'];
  run('apt-get', [...lock, '-qq', 'update']);
  run('apt-get', [...lock, '-qq', 'install', '-y', '--no-install-recommends', ...missing.map((p) => p.package)]);
  const still = missingPackages();
  if (still.length > 0) fail(`still missing after apt-get install:\n${report(still)}`);
}

if (!existsSync(join(REPO, 'node_modules'))) run('npm', ['ci', '--no-audit', '--no-fund']);

/**
 * Real-tool tests need real tools. A missing one is a failure with the package to install, never a skip:
 * a green run must mean the generated files were checked by the real programs.
 *
 * tools.json is the one list of those programs and their Debian packages: `npm test` (scripts/test-setup.mjs)
 * installs from it, and a test may only require what it lists, so a fresh machine gets everything.
 */
import { execFileSync } from 'node:child_process';
import TOOLS from './tools.json' with { type: 'json' };

/** The Debian package that provides NAME (a command, or an absolute path) and why the tests need it. */
export function toolPackage(name: string): { package: string; why: string } {
  const entry = TOOLS.find((tool) => tool.provides.includes(name));
  if (!entry) throw new Error(`${name} is not in test/support/tools.json: add it there (with its Debian package), so npm test installs it`);
  return entry;
}

/** Installing NAME, as a missing-tool message says it. */
export function installHint(name: string): string {
  const { package: pkg, why } = toolPackage(name);
  return `apt-get install ${pkg} (${why}); run as root, npm test installs what is missing`;
}

/** The path of NAME (a command looked up in PATH, or an absolute path); throws with the package when it is missing. */
export function requireTool(name: string): string {
  const hint = installHint(name);
  try {
    return execFileSync('sh', ['-c', `command -v "$1"`, 'sh', name], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error(`${name} is required by this test: ${hint}`);
  }
}

export function requireRoot(why: string): void {
  if (process.getuid?.() !== 0) throw new Error(`this test must run as root: ${why}`);
}

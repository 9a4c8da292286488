/**
 * Real-tool tests need real tools. A missing one is a failure with the package to install, never a skip:
 * a green run must mean the generated files were checked by the real programs.
 */
import { execFileSync } from 'node:child_process';

const PACKAGES: Record<string, string> = {
  'systemd-analyze': 'systemd',
  shellcheck: 'shellcheck',
  dash: 'dash',
  runsvdir: 'runit',
  runsv: 'runit',
  sv: 'runit',
  svlogd: 'runit',
  chpst: 'runit',
  snooze: 'snooze',
  bwrap: 'bubblewrap',
  cc: 'gcc',
  strace: 'strace',
};

export function requireTool(name: string): string {
  try {
    return execFileSync('sh', ['-c', `command -v "$1"`, 'sh', name], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error(`${name} is required by this test: apt-get install -y ${PACKAGES[name] ?? name} (see .ci/run)`);
  }
}

export function requireRoot(why: string): void {
  if (process.getuid?.() !== 0) throw new Error(`this test must run as root: ${why}`);
}

/**
 * TypeScript side of runit-sandbox.sh: a throwaway machine with the real runsvdir as its PID 1, for pvpn-gen's
 * end-to-end tests. Callers must stop() it (afterAll); if the test process dies, the sandbox follows (--owner).
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { spawnCapture } from '../support/spawn.js';
import { requireTool } from '../support/tools.js';

const SCRIPT = fileURLToPath(new URL('./runit-sandbox.sh', import.meta.url));

export interface RunitSandbox {
  readonly id: string;
  exec(argv: readonly string[], options?: { timeoutMs?: number; input?: string }): Promise<{ code: number; stdout: string; stderr: string }>;
  stop(): void;
}

/** Boots the sandbox; `binds` are host paths made visible at the same path inside (e.g. the checkout under test). */
export function bootRunit(scanDir: string, binds: readonly string[] = []): RunitSandbox {
  if (process.getuid?.() !== 0) throw new Error('the runit sandbox needs root (mount and PID namespaces)');
  for (const tool of ['runsvdir', 'runsv', 'sv', 'svlogd', 'chpst', 'unshare', 'nsenter', 'chroot', 'pgrep', '/usr/bin/python3']) requireTool(tool);
  const id = execFileSync(SCRIPT, ['start', scanDir, '--owner', String(process.pid), ...binds.flatMap((b) => ['--bind', b])], { encoding: 'utf8' }).trim();
  let stopped = false;
  return {
    id,
    async exec(argv, options = {}) {
      const result = await spawnCapture(SCRIPT, ['exec', id, '--', ...argv], { input: options.input ?? '', timeoutMs: options.timeoutMs ?? 30_000 });
      return { code: result.code ?? 1, stdout: result.stdout, stderr: result.stderr };
    },
    stop() {
      if (stopped) return;
      stopped = true;
      execFileSync(SCRIPT, ['stop', id]);
    },
  };
}

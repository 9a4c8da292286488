/**
 * TypeScript side of runit-sandbox.sh: a throwaway machine with the real runsvdir as its PID 1, for pvpn-gen's
 * end-to-end tests. Callers must stop() it (afterAll); if the test process dies, the sandbox follows (--owner).
 */
import { execFileSync, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('./runit-sandbox.sh', import.meta.url));

export interface RunitSandbox {
  readonly id: string;
  exec(argv: readonly string[], options?: { timeoutMs?: number; input?: string }): Promise<{ code: number; stdout: string; stderr: string }>;
  stop(): void;
}

/** Boots the sandbox; `binds` are host paths made visible at the same path inside (e.g. the checkout under test). */
export function bootRunit(scanDir: string, binds: readonly string[] = []): RunitSandbox {
  if (process.getuid?.() !== 0) throw new Error('the runit sandbox needs root (mount and PID namespaces)');
  for (const tool of ['runsvdir', 'runsv', 'sv', 'svlogd', 'chpst', 'unshare', 'nsenter', 'chroot', 'python3']) {
    try {
      execFileSync('sh', ['-c', `command -v ${tool}`]);
    } catch {
      throw new Error(`${tool} is missing: apt-get install -y runit util-linux coreutils python3 (see .ci/run)`);
    }
  }
  const id = execFileSync(SCRIPT, ['start', scanDir, '--owner', String(process.pid), ...binds.flatMap((b) => ['--bind', b])], { encoding: 'utf8' }).trim();
  let stopped = false;
  return {
    id,
    exec(argv, options = {}) {
      return new Promise((resolve, reject) => {
        const child = spawn(SCRIPT, ['exec', id, '--', ...argv], { stdio: ['pipe', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30_000);
        child.on('error', reject);
        child.on('close', (code) => {
          clearTimeout(timer);
          resolve({ code: code ?? 1, stdout, stderr });
        });
        // a command that does not read its input may exit before we finish writing it: that is fine
        child.stdin.on('error', () => {});
        child.stdin.end(options.input ?? '');
      });
    },
    stop() {
      if (stopped) return;
      stopped = true;
      execFileSync(SCRIPT, ['stop', id]);
    },
  };
}

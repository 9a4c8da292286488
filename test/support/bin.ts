/** Runs the built CLI (dist/, from `npm run build`) as a separate process: for kills, races and real exits. */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { BIN, REPO } from './paths.js';
import { spawnCapture } from './spawn.js';

export interface BinResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

function requireBuild(): void {
  if (!existsSync(`${REPO}/dist/cli.js`)) throw new Error('dist/ is missing: run `npm run build` first (npm test does)');
}

const baseEnv = (env: Record<string, string> = {}) => ({ ...process.env, PVPN_GEN_RENDERER: 'silent', NO_COLOR: '1', ...env });

export function binSync(args: readonly string[], env: Record<string, string> = {}): BinResult {
  requireBuild();
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: baseEnv(env) });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

export async function binAsync(args: readonly string[], env: Record<string, string> = {}): Promise<BinResult> {
  requireBuild();
  const { code, signal, stdout, stderr } = await spawnCapture(process.execPath, [BIN, ...args], { env: baseEnv(env) });
  return { code, signal, stdout, stderr };
}

/** Staging rendered units under a fresh root (with stub programs) for systemd-analyze verify and security. */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Rendered } from '../../src/render/types.js';
import { requireTool } from './tools.js';

/** Writes the rendered tree under a fresh root, with a stub for every program the units name. */
export function stageForVerify(rendered: Rendered, programs: readonly string[]): string {
  const root = mkdtempSync(join(tmpdir(), 'pvpn-verify-'));
  for (const e of rendered.entries) {
    if (e.kind !== 'file') continue;
    mkdirSync(dirname(root + e.path), { recursive: true });
    writeFileSync(root + e.path, e.content, { mode: e.mode });
  }
  for (const program of programs) {
    mkdirSync(dirname(root + program), { recursive: true });
    writeFileSync(root + program, '#!/bin/sh\nexit 0\n');
    chmodSync(root + program, 0o755);
  }
  return root;
}

export function verifyUnits(root: string, rendered: Rendered): { status: number | null; output: string } {
  const units = rendered.entries.filter((e) => e.kind === 'file' && /\.(service|timer)$/.test(e.path)).map((e) => root + e.path);
  const result = spawnSync(requireTool('systemd-analyze'), ['verify', '--man=no', '--recursive-errors=no', `--root=${root}`, ...units], {
    encoding: 'utf8',
    env: { ...process.env, SYSTEMD_LOG_COLOR: '0', SYSTEMD_PAGER: '' },
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}


/** Small specs for install/diff tests, written to a temp dir. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ServiceSketch {
  readonly name: string;
  readonly command?: string;
  /** default 1h; null: a daemon */
  readonly interval?: string | null;
  /** default svc; null: no user line */
  readonly user?: string | null;
  readonly extra?: string;
}

export function specText(services: readonly ServiceSketch[], header = ''): string {
  const lines = ['version: 1', header, 'services:'].filter((l) => l !== '');
  for (const s of services) {
    lines.push(`  ${s.name}:`, `    command: [${s.command ?? '/usr/bin/true'}]`);
    if (s.user !== null) lines.push(`    user: ${s.user ?? 'svc'}`);
    if (s.interval !== null) lines.push(`    interval: ${s.interval ?? '1h'}`);
    if (s.extra) lines.push(...s.extra.split('\n').map((l) => `    ${l}`));
  }
  return lines.join('\n') + '\n';
}

export function writeSpec(text: string, name = 'pvpn-gen.yaml'): string {
  const dir = mkdtempSync(join(tmpdir(), 'pvpn-spec-'));
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

export function tempRoot(prefix = 'pvpn-root-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

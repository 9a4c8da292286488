/**
 * The manifest: what pvpn-gen installed, per project. Serialised with sorted keys and a trailing newline so that
 * the same install writes the same bytes; parsed defensively, since it is read back as root.
 */
import type { Manifest } from './types.js';

export const MANIFEST_FORMAT = 1;

export function serialiseManifest(manifest: Manifest): string {
  return JSON.stringify(sortKeys(manifest), null, 2) + '\n';
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]));
  }
  return value;
}

/** Returns the manifest, or a message saying what is wrong with the file. */
export function parseManifest(text: string): { ok: true; manifest: Manifest } | { ok: false; message: string } {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return { ok: false, message: `not JSON: ${(error as Error).message}` };
  }
  const m = data as Partial<Manifest> | null;
  if (!m || typeof m !== 'object') return { ok: false, message: 'not an object' };
  if (m.format !== MANIFEST_FORMAT) return { ok: false, message: `format ${String(m.format)} is not ${MANIFEST_FORMAT}; was it written by a newer pvpn-gen?` };
  if (m.target !== 'systemd' && m.target !== 'runit') return { ok: false, message: 'no valid target' };
  const entriesOk =
    Array.isArray(m.entries) &&
    m.entries.every(
      (e) =>
        typeof e?.path === 'string' &&
        e.path.startsWith('/') &&
        !e.path.split('/').includes('..') &&
        typeof e.service === 'string' &&
        ((e.kind === 'file' && typeof e.sha256 === 'string' && Number.isInteger(e.mode)) || (e.kind === 'symlink' && typeof e.target === 'string')),
    );
  if (!entriesOk) return { ok: false, message: 'its entries are malformed' };
  const listsOk =
    Array.isArray(m.backups) &&
    Array.isArray(m.services) &&
    typeof m.project === 'string';
  if (!listsOk) return { ok: false, message: 'its backup or service lists are malformed' };
  // manifests written before accounts were recorded have none
  const accounts = m.accounts ?? { users: [], groups: [] };
  return { ok: true, manifest: { ...(m as Manifest), accounts } };
}

/** The registry of directories pvpn-gen created: a sorted JSON list of absolute paths. */
export function parseDirectories(text: string): string[] | undefined {
  try {
    const data = JSON.parse(text) as unknown;
    if (Array.isArray(data) && data.every((d) => typeof d === 'string' && d.startsWith('/') && !d.split('/').includes('..'))) return data as string[];
  } catch {
    // fall through
  }
  return undefined;
}

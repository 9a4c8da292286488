/**
 * The manifest: what pvpn-gen installed, per project. Serialised with sorted keys and a trailing newline so that
 * the same install writes the same bytes; parsed defensively, since it is read back as root.
 */
import type { ServiceHandle } from '../render/types.js';
import { TARGETS } from '../targets/index.js';
import { isTargetName } from '../targets/names.js';
import { isPlainAbsolute, siblingPath } from './state-paths.js';
import type { Manifest } from './types.js';

/** The schema's service name, and what useradd accepts for the accounts recorded. */
const SERVICE_NAME = /^[a-z0-9][a-z0-9_.-]{0,63}$/;
const ACCOUNT_NAME = /^[a-z_][a-z0-9_.-]{0,31}\$?$/;

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
  if (!isTargetName(m.target)) return { ok: false, message: 'no valid target' };
  const entriesOk =
    Array.isArray(m.entries) &&
    m.entries.every(
      (e) =>
        isPlainAbsolute(e?.path) &&
        typeof e.service === 'string' &&
        ((e.kind === 'file' && typeof e.sha256 === 'string' && Number.isInteger(e.mode)) || (e.kind === 'symlink' && typeof e.target === 'string')),
    );
  if (!entriesOk) return { ok: false, message: 'its entries are malformed' };
  const listsOk =
    Array.isArray(m.backups) &&
    m.backups.every((b) => isPlainAbsolute(b?.path) && b.backup === siblingPath(b.path, 'backup')) &&
    Array.isArray(m.services) &&
    typeof m.project === 'string';
  if (!listsOk) return { ok: false, message: 'its backup or service lists are malformed' };
  // Paths pvpn-gen acts on as root come from here (runsv's supervise/ in a service directory, the enable link):
  // each must be exactly what the target's table gives for that service, never just any path.
  const badService = m.services.find((s) => !serviceHandleOk(s, m.layout ?? null));
  if (badService) return { ok: false, message: `the record of service ${JSON.stringify((badService as { name?: unknown })?.name)} does not match its target's paths` };
  // manifests written before accounts were recorded have none
  const accounts = m.accounts ?? { users: [], groups: [] };
  if (!accountsOk(accounts)) return { ok: false, message: 'its account lists are malformed' };
  return { ok: true, manifest: { ...(m as Manifest), accounts } };
}

function accountsOk(a: unknown): boolean {
  const accounts = a as { users?: unknown; groups?: unknown } | null;
  const names = (list: unknown) => Array.isArray(list) && list.every((n) => typeof n === 'string' && ACCOUNT_NAME.test(n));
  return accounts !== null && typeof accounts === 'object' && names(accounts.users) && names(accounts.groups);
}

function serviceHandleOk(s: ServiceHandle | null | undefined, layoutName: string | null): boolean {
  if (!s || typeof s.name !== 'string' || !SERVICE_NAME.test(s.name)) return false;
  const accounts = s.accounts as unknown as { users?: unknown; groups?: unknown } | undefined;
  if (accounts !== undefined) {
    const users = accounts.users;
    const usersOk = Array.isArray(users) && users.every((u: { name?: unknown; home?: unknown }) => typeof u?.name === 'string' && ACCOUNT_NAME.test(u.name) && isPlainAbsolute(u.home === '/' ? '/x' : u.home));
    if (!usersOk || !accountsOk({ users: [], groups: accounts.groups })) return false;
  }
  return isTargetName(s.target) && TARGETS[s.target].handleOk(s, layoutName);
}

/** The registry of directories pvpn-gen created: a sorted JSON list of absolute paths. */
export function parseDirectories(text: string): string[] | undefined {
  try {
    const data = JSON.parse(text) as unknown;
    if (Array.isArray(data) && data.every(isPlainAbsolute)) return data as string[];
  } catch {
    // fall through
  }
  return undefined;
}

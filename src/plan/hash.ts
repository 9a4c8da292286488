import type { createHash as CreateHash } from 'node:crypto';

let createHash: typeof CreateHash | undefined;

/** Hex sha256 of text as UTF-8: what the manifest records to notice a file changed behind pvpn-gen's back. */
export function sha256(text: string | Uint8Array): string {
  // node:crypto takes ~2.7 ms to load: only the runs that hash pay for it (see lazySha256)
  createHash ??= process.getBuiltinModule('node:crypto').createHash;
  return createHash('sha256').update(text).digest('hex');
}

/**
 * A sha256 computed when first read. The plan carries the manifest install would record, digests included, but
 * `diff` never reads them: on a root with nothing installed yet (a fresh machine, a CI check against a staging
 * root) it then hashes nothing and never loads node:crypto, most of what a small diff added to a bare node start.
 */
export function lazySha256(content: string | Uint8Array): () => string {
  let digest: string | undefined;
  return () => (digest ??= sha256(content));
}

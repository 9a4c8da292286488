import { createHash } from 'node:crypto';

/** Hex sha256 of text as UTF-8: what the manifest records to notice a file changed behind pvpn-gen's back. */
export function sha256(text: string | Uint8Array): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Facts about paths that every layer shares. */

/** pvpn-gen's own state on a machine: manifests, journal, lock, and runit's records of runs (under --root when staging). */
export const STATE_DIR = '/var/lib/pvpn-gen';

/**
 * An absolute path with nothing to resolve: no empty, `.` or `..` component, no trailing slash, no control
 * character. Paths read back from pvpn-gen's own records (manifests, journal) must be such, so that root + path
 * never leaves the root.
 */
export function isPlainAbsolute(path: unknown): path is string {
  if (typeof path !== 'string' || !path.startsWith('/') || path.length < 2) return false;
  // eslint-disable-next-line no-control-regex -- control characters are what this refuses
  if (/[\u0000-\u001f\u007f]/.test(path)) return false;
  return path.slice(1).split('/').every((part) => part !== '' && part !== '.' && part !== '..');
}

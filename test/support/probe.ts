/**
 * The argv/environment probe (probe.c): compiled once per test worker with the real `cc` (a missing compiler is a
 * failure, never a skip), and a strict parser for the record it writes.
 *
 *   const probe = buildProbe();           // { dir, path, shmPath }
 *   spawn('dash', [run, 'once'], { stdio: ['ignore', 'pipe', 'pipe', fd3] });
 *   const record = parseProbeRecord(readFileSync(file));   // { argv, environ }
 *
 * `path` (basename `probe`) writes to fd 3; `shmPath` (the same binary named `probe-shm`) writes the existing file
 * PROBE_SHM_RECORD instead, for services that get no fd 3 (see probe.c).
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, linkSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { installHint, requireTool } from './tools.js';

export const PROBE_SOURCE = fileURLToPath(new URL('./probe.c', import.meta.url));
export const PROBE_SHM_RECORD = '/dev/shm/pvpn-probe.record';

export interface Probe {
  /** the directory holding both names of the binary: mode 0755, so that any user can run them */
  readonly dir: string;
  /** writes its record to fd 3 */
  readonly path: string;
  /** writes its record to PROBE_SHM_RECORD */
  readonly shmPath: string;
}

export interface ProbeRecord {
  readonly argv: string[];
  /** environ as the program saw it, in order, `NAME=VALUE` */
  readonly environ: string[];
}

let built: Probe | undefined;

/** Compiles probe.c (statically: no dynamic loader reads the hostile environment) once per worker. */
export function buildProbe(): Probe {
  if (built) return built;
  const cc = requireTool('cc');
  const dir = mkdtempSync(join(tmpdir(), 'pvpn-probe-'));
  chmodSync(dir, 0o755); // mkdtemp makes it 0700: the services run as `daemon`
  const path = join(dir, 'probe');
  try {
    execFileSync(cc, ['-static', '-O2', '-Wall', '-Wextra', '-Werror', '-o', path, PROBE_SOURCE], { stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? '';
    throw new Error(`cannot compile ${PROBE_SOURCE} with ${cc} -static (${installHint('/usr/include/stdio.h')}):\n${stderr}`, { cause: error });
  }
  chmodSync(path, 0o755);
  const shmPath = join(dir, 'probe-shm');
  linkSync(path, shmPath);
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  built = { dir, path, shmPath };
  return built;
}

// ignoreBOM: a field that starts with U+FEFF must keep it (the default decoder drops a leading BOM)
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Parses one complete record; throws on anything else (truncated, malformed, trailing bytes, invalid UTF-8). */
export function parseProbeRecord(bytes: Uint8Array): ProbeRecord {
  const fields: string[] = [];
  let start = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] !== 0) continue;
    fields.push(utf8.decode(bytes.subarray(start, i)));
    start = i + 1;
  }
  if (start !== bytes.length) throw new Error(`probe record: ${bytes.length - start} bytes after the last NUL (truncated?)`);
  let at = 0;
  const next = (what: string): string => {
    const value = fields[at++];
    if (value === undefined) throw new Error(`probe record: ended before ${what} (${fields.length} fields)`);
    return value;
  };
  const expect = (word: string) => {
    const got = next(JSON.stringify(word));
    if (got !== word) throw new Error(`probe record: expected ${JSON.stringify(word)} at field ${at - 1}, got ${JSON.stringify(got)}`);
  };
  const list = (what: string): string[] => {
    const text = next(`the ${what} count`);
    if (!/^(0|[1-9][0-9]*)$/.test(text)) throw new Error(`probe record: bad ${what} count ${JSON.stringify(text)}`);
    return Array.from({ length: Number(text) }, (_, i) => next(`${what}[${i}]`));
  };
  expect('pvpn-probe/1');
  expect('argv');
  const argv = list('argv');
  expect('environ');
  const environ = list('environ');
  expect('end');
  if (at !== fields.length) throw new Error(`probe record: ${fields.length - at} fields after "end"`);
  return { argv, environ };
}

/** environ as a map; a name that appears twice is an error (the program would see only one of them). */
export function environMap(environ: readonly string[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const entry of environ) {
    const eq = entry.indexOf('=');
    if (eq <= 0) throw new Error(`probe record: environ entry without a name: ${JSON.stringify(entry)}`);
    const name = entry.slice(0, eq);
    if (map.has(name)) throw new Error(`probe record: ${name} appears twice in environ`);
    map.set(name, entry.slice(eq + 1));
  }
  return map;
}

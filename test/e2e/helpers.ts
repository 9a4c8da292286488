/**
 * Shared by the end-to-end tests: a booted systemd sandbox (test/harness/systemd-sandbox.ts) in which pvpn-gen is
 * run as an admin would run it, `node <repo>/bin/pvpn-gen.js ...`, with the probe job (probe.py) and the specs
 * under /opt/pvpn-e2e.
 *
 * The bundle is a snapshot: dist/ is copied once per test file and bind-mounted over <repo>/dist inside the
 * sandbox. Others rebuild dist/ while tests run (the build deletes it first), and the sandbox sees the host
 * through an overlay, which keeps a deleted-and-recreated directory empty: without the snapshot a command
 * fails with "Cannot find module .../dist/chunks/...".
 */
import { execFileSync } from 'node:child_process';
import { accessSync, chmodSync, constants, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import fse from 'fs-extra';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bootSystemd, type ExecResult, type Sandbox } from '../harness/systemd-sandbox.js';
import { installHint } from '../support/tools.js';

export const REPO = fileURLToPath(new URL('../../', import.meta.url)).replace(/\/$/, '');
export const BIN = `${REPO}/bin/pvpn-gen.js`;
/** where the probe and the specs are, inside the sandbox */
export const OPT = '/opt/pvpn-e2e';
export const PROBE = `${OPT}/probe.py`;
export const PYTHON = '/usr/bin/python3';

/**
 * A service that runs probe.py in MODE, in its own /var/lib/NAME, where the probe also writes its records
 * (PROBE_OUT): the two must be the same directory for records() to find them. As `daemon` unless `fields` say
 * otherwise (dynamicUser: true, user: ...); `fields.environment` is added to PROBE_OUT.
 */
export function probeJob(name: string, mode: string, fields: Record<string, unknown> & { environment?: Record<string, unknown> } = {}): object {
  const dir = `/var/lib/${name}`;
  const { environment, ...rest } = fields;
  return {
    command: [PYTHON, PROBE, mode],
    ...(rest.dynamicUser ? {} : { user: 'daemon' }),
    workingDirectory: dir,
    ...rest,
    environment: { PROBE_OUT: dir, ...environment },
  };
}

export interface E2E {
  readonly sb: Sandbox;
  /** `node <repo>/bin/pvpn-gen.js ARGS` inside the sandbox */
  pvpn(args: string[], timeoutMs?: number): Promise<ExecResult>;
  /** `sh -c SCRIPT` inside the sandbox */
  sh(script: string, input?: string): Promise<ExecResult>;
  stop(): Promise<void>;
}

/** Fails (never skips) when something the tests need is missing. */
function assertTools(extra: readonly string[]): void {
  if (process.getuid?.() !== 0) throw new Error('e2e: must run as root (the tests boot systemd in namespaces and install units)');
  for (const file of [PYTHON, ...extra]) {
    try {
      accessSync(file, constants.X_OK);
    } catch {
      throw new Error(`e2e: ${file} is missing (${installHint(file)})`);
    }
  }
  if (!existsSync(`${REPO}/dist/cli.js`)) throw new Error('e2e: dist/ is missing: run `npm run generate && node scripts/build.mjs` first');
}

/** Relative imports of a bundle file (`from "./chunks/x.js"`, `import("./x.js")`), resolved. */
function relativeImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found: string[] = [];
  for (const m of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)["'](\.\.?\/[^"']+)["']/g)) {
    found.push(resolve(dirname(file), m[1] as string));
  }
  return found;
}

function listJs(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.js'))
    .map((e) => join(e.parentPath, e.name));
}

/** Copies dist/ to `to` and checks that every chunk it imports is there; retries while a rebuild is under way. */
function snapshotDist(to: string): void {
  let problem = '';
  for (let attempt = 0; attempt < 20; attempt++) {
    fse.removeSync(to);
    try {
      fse.copySync(`${REPO}/dist`, to);
      const files = listJs(to);
      const missing = files.flatMap(relativeImports).filter((f) => !existsSync(f));
      if (files.length > 0 && existsSync(join(to, 'cli.js')) && missing.length === 0) return;
      problem = `missing ${missing.slice(0, 3).join(', ')}`;
    } catch (error) {
      problem = String(error);
    }
    execFileSync('sleep', ['1']); // a build is writing dist/ right now
  }
  throw new Error(`e2e: could not take a consistent copy of dist/ (${problem}); is a build looping?`);
}

/**
 * Boots the sandbox with the dist/ snapshot and /opt/pvpn-e2e (probe.py and the given files) bound in.
 * `files`: name -> content, written under /opt/pvpn-e2e (0644).
 */
export async function bootE2E(files: Record<string, string>, extraTools: readonly string[] = []): Promise<E2E> {
  assertTools(extraTools);
  const host = mkdtempSync('/tmp/pvpn-e2e-');
  let sb: Sandbox | undefined;
  try {
    snapshotDist(join(host, 'dist'));
    const opt = join(host, 'opt');
    fse.copySync(fileURLToPath(new URL('./probe.py', import.meta.url)), join(opt, 'probe.py'));
    for (const [name, content] of Object.entries(files)) writeFileSync(join(opt, name), content);
    chmodSync(host, 0o755); // mkdtemp makes it 0700; the jobs run as daemon or a dynamic user
    chmodSync(opt, 0o755);
    chmodSync(join(opt, 'probe.py'), 0o755);
    for (const name of Object.keys(files)) chmodSync(join(opt, name), 0o644);
    // the checkout itself (it may live under /tmp, which is private inside), then the dist/ snapshot over it
    sb = await bootSystemd({ binds: [`${REPO}:${REPO}`, `${host}/dist:${REPO}/dist`, `${opt}:${OPT}`] });
  } catch (error) {
    rmSync(host, { recursive: true, force: true });
    throw error;
  }
  const booted = sb;
  return {
    sb: booted,
    pvpn: (args, timeoutMs = 60_000) => booted.exec(['node', BIN, ...args], { timeoutMs }),
    sh: (script, input) => booted.exec(['sh', '-c', script], input === undefined ? {} : { input }),
    stop: async () => {
      try {
        await booted.stop();
      } finally {
        rmSync(host, { recursive: true, force: true });
      }
    },
  };
}

/** Polls `probe` until it returns something other than undefined; throws with `what` after `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000, everyMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`e2e: timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** The JSON records probe.py wrote in `dir` whose names start with `prefix-`, oldest first. */
export async function records<T = ProbeRecord>(e2e: E2E, dir: string, prefix: string): Promise<T[]> {
  const script =
    'import glob, json, sys\n' +
    'files = sorted(glob.glob(sys.argv[1] + "/" + sys.argv[2] + "-*.json"))\n' +
    'print(json.dumps([json.load(open(f)) for f in files]))\n';
  const r = await e2e.sb.exec([PYTHON, '-c', script, dir, prefix]);
  if (r.code !== 0) throw new Error(`e2e: reading records in ${dir}: ${r.stderr}`);
  return JSON.parse(r.stdout) as T[];
}

export interface ProbeRecord {
  readonly mode: string;
  readonly argv: string[];
  readonly env: Record<string, string>;
  readonly uid: number;
  readonly gid: number;
  readonly cwd: string;
  /** seconds since the epoch */
  readonly started: number;
  readonly [key: string]: unknown;
}

export interface RunJson {
  readonly started: string;
  readonly outcome: string;
  readonly seconds?: number;
  readonly status?: number;
  readonly detail?: string;
}

export interface StatusJson {
  readonly name: string;
  readonly target: string;
  readonly kind: string;
  readonly enabled: boolean;
  readonly state: string;
  readonly lastRun?: RunJson;
  readonly runs: RunJson[];
  readonly skipped: number;
  readonly nextRun?: string;
}

/** `pvpn-gen status --json NAME` */
export async function status(e2e: E2E, name: string): Promise<StatusJson> {
  const r = await e2e.pvpn(['status', '--json', name]);
  if (r.code !== 0) throw new Error(`e2e: pvpn-gen status ${name} exited ${r.code}: ${r.stderr}`);
  const parsed = (JSON.parse(r.stdout) as { services: StatusJson[] }).services;
  if (parsed.length !== 1 || !parsed[0]) throw new Error(`e2e: status of ${name}: ${r.stdout}`);
  return parsed[0];
}

/** Everything a failed expectation should show: the command's output. */
export function show(r: ExecResult): string {
  return `exit ${r.code}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;
}

/**
 * Hostile argv and environment through the runit `run` script, checked by the real dash: a spec whose command and
 * environment are built from quotes, backslashes, $-expansions, specifiers, globs, separators, tabs, unicode and
 * random text renders a `run` script; `dash run once` (as root, dropping to `daemon` with chpst) starts the probe
 * (test/support/probe.c), which writes the argv and the complete environment it received to fd 3.
 * The job must get exactly the spec's argv, and exactly the spec's environment plus what the script adds on
 * purpose: PATH, USER, LOGNAME and HOME (templates/runit/run.hbs, `prepare`), the spec winning on a shared name.
 */
import { spawnSync, execFileSync } from 'node:child_process';
import { chmodSync, closeSync, linkSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { SpecError } from '../../src/errors.js';
import { renderSpec } from '../../src/render/render.js';
import { compileSpec } from '../../src/model/compile.js';
import {
  CONTROL_EXCEPT_TAB,
  HOSTILE_DIRS_QUOTES,
  HOSTILE_DIRS_SYSTEMD,
  everyTokenCase,
  hostileCase,
  hostileService,
  hostileSpecText,
  hostileString,
  specEnvironment,
  type HostileCase,
} from '../support/hostile.js';
import { ENV_FILE_DIFFERENCES, ENV_FILE_EXPECTED, ENV_FILE_TEXT } from '../support/env-file.js';
import { buildProbe, environMap, parseProbeRecord, type ProbeRecord } from '../support/probe.js';
import { spawnCapture } from '../support/spawn.js';
import { requireRoot, requireTool } from '../support/tools.js';

/** What `run` puts in the clean environment (env -i ... PATH=...) before the spec's variables. */
const SCRIPT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
const RUN_PATH = '/etc/runit/sv/hostile/run';
/** property runs x cases run concurrently per run */
const RUNS = 130;
const BATCH = 8;

requireRoot('the run script drops to the user `daemon` with chpst');
const dash = requireTool('dash');
requireTool('chpst');
const probe = buildProbe();
const work = mkdtempSync(join(tmpdir(), 'pvpn-hostile-runit-'));
chmodSync(work, 0o755);
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The program paths a case may use: the probe itself, then the same binary under hostile directory names. */
const programs = [probe.path];
for (const [i, dir] of HOSTILE_DIRS_SYSTEMD.entries()) {
  const path = join(work, 'programs', `${i} ${dir}`);
  mkdirSync(path, { recursive: true, mode: 0o755 });
  linkSync(probe.path, join(path, 'probe'));
  programs.push(join(path, 'probe'));
}

const daemonHome = execFileSync('getent', ['passwd', 'daemon'], { encoding: 'utf8' }).trim().split(':')[5] ?? '';

function runScriptOf(c: HostileCase): { command: string[]; script: string } {
  const command = [programs[c.program] as string, ...c.args];
  const model = compileSpec(hostileSpecText({ hostile: hostileService(command, c.env) }), 'hostile.json');
  const entry = renderSpec(model, { target: 'runit' }).entries.find((e) => e.path === RUN_PATH);
  if (entry?.kind !== 'file') throw new Error(`no ${RUN_PATH} rendered`);
  return { command, script: entry.content };
}

function expectedEnvironment(c: HostileCase): Map<string, string> {
  const env = new Map([
    ['PATH', SCRIPT_PATH],
    ['USER', 'daemon'],
    ['LOGNAME', 'daemon'],
    ['HOME', daemonHome],
  ]);
  for (const [name, value] of specEnvironment(c.env)) env.set(name, value);
  return env;
}

/**
 * Secrets are accepted only from root's own directories (not /tmp, where the test writes and everyone may): the
 * test keeps them in SECRETS, which each run sees at SECRETS_AT.
 */
const SECRETS = join(work, 'secrets');
const SECRETS_AT = '/var/lib/pvpn-test';
mkdirSync(SECRETS, { mode: 0o755 });
/**
 * Each script runs as root in a private mount namespace: tmpfs on /run and /var/lib, where it keeps the copies it
 * hands the job and its record of runs (the host's are untouched), and SECRETS at SECRETS_AT.
 */
const NAMESPACE = `mount --make-rprivate / && mount -t tmpfs -o mode=0755 pvpn-run /run && mount -t tmpfs -o mode=0755 pvpn-lib /var/lib && mkdir ${SECRETS_AT} && mount --bind "$1" ${SECRETS_AT} && shift && exec "$@"`;

async function run(argv: string[], fd3: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const { code, stdout, stderr } = await spawnCapture('unshare', ['--mount', '--', '/bin/sh', '-c', NAMESPACE, 'sh', SECRETS, ...argv], { fd3, timeoutMs: 20_000 });
  return { code, stdout, stderr };
}

let cases = 0;

/** Runs one case through the real dash; returns what went wrong, or null. */
async function check(c: HostileCase): Promise<string | null> {
  const n = cases++;
  const dir = join(work, String(n));
  mkdirSync(dir);
  try {
    const { command, script } = runScriptOf(c);
    writeFileSync(join(dir, 'run'), script);
    chmodSync(join(dir, 'run'), 0o755);
    const fd = openSync(join(dir, 'fd3'), 'w');
    let result: Awaited<ReturnType<typeof run>>;
    try {
      result = await run([dash, join(dir, 'run'), 'once'], fd);
    } finally {
      closeSync(fd);
    }
    const problems: string[] = [];
    if (result.code !== 0) problems.push(`exit ${result.code}`);
    if (!/^pvpn-gen: run started\npvpn-gen: run finished status=0 seconds=\d+\n$/.test(result.stdout) || result.stderr !== '') {
      problems.push(`output ${JSON.stringify(result.stdout + result.stderr)}`);
    }
    let record: ProbeRecord | undefined;
    try {
      record = parseProbeRecord(readFileSync(join(dir, 'fd3')));
    } catch (error) {
      problems.push(String(error));
    }
    if (record) {
      if (JSON.stringify(record.argv) !== JSON.stringify(command)) {
        problems.push(`argv ${JSON.stringify(record.argv)}, expected ${JSON.stringify(command)}`);
      }
      const got = environMap(record.environ);
      const want = expectedEnvironment(c);
      for (const [name, value] of want) {
        if (!got.has(name)) problems.push(`${name} missing (expected ${JSON.stringify(value)})`);
        else if (got.get(name) !== value) problems.push(`${name}=${JSON.stringify(got.get(name))}, expected ${JSON.stringify(value)}`);
      }
      for (const [name, value] of got) if (!want.has(name)) problems.push(`unexpected ${name}=${JSON.stringify(value)}`);
    }
    return problems.length === 0 ? null : `${problems.join('; ')}\n  case: ${JSON.stringify(c)}`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const caseArb = hostileCase(programs.length);

describe('runit run script: hostile argv and environment reach the job exactly (real dash, chpst, probe)', () => {
  it(`${RUNS * BATCH} generated cases, ${BATCH} at a time`, async () => {
    // first, every token at once under every program path
    const examples: HostileCase[][] = [];
    for (let i = 0; i < programs.length; i += BATCH) {
      const batch = programs.slice(i, i + BATCH).map((_, k) => ({ ...everyTokenCase(), program: i + k }));
      while (batch.length < BATCH) batch.push(everyTokenCase());
      examples.push(batch);
    }
    await fc.assert(
      fc.asyncProperty(fc.array(caseArb, { minLength: BATCH, maxLength: BATCH }), async (batch) => {
        const failures = (await Promise.all(batch.map(check))).filter((f): f is string => f !== null);
        if (failures.length > 0) throw new Error(failures.join('\n'));
      }),
      { numRuns: RUNS, examples: examples.map((batch) => [batch] as [HostileCase[]]) },
    );
    expect(cases).toBeGreaterThanOrEqual(RUNS * BATCH);
    // a hang guard, not a speed target: ~3 min on a quiet machine, over 8 at a load of 40
  }, 900_000);

  it('shellcheck -s sh and dash -n are clean on 50 generated scripts', () => {
    const shellcheck = requireTool('shellcheck');
    const dir = join(work, 'lint');
    mkdirSync(dir);
    const samples = [everyTokenCase(), ...fc.sample(caseArb, 49)];
    const scripts = samples.map((c, i) => {
      const path = join(dir, `run-${i}`);
      writeFileSync(path, runScriptOf(c).script);
      return path;
    });
    // SC1112 ("a unicode quote, retype it") is about typos in hand-written scripts: the hostile values hold ‘ and ’
    // on purpose, and inside '...' they are literal text (the probe above checks the job receives them exactly)
    const lint = spawnSync(shellcheck, ['-s', 'sh', '--severity=style', '--exclude=SC1112', ...scripts], { encoding: 'utf8' });
    expect(lint.stdout + lint.stderr).toBe('');
    expect(lint.status).toBe(0);
    for (const script of scripts) {
      const parsed = spawnSync(dash, ['-n', script], { encoding: 'utf8' });
      expect(parsed.stderr, script).toBe('');
      expect(parsed.status, script).toBe(0);
    }
  });

  it('a non-numeric OPTIND reaches the job (env -i passes it as a word, not a shell assignment)', async () => {
    expect(await check({ program: 0, args: [], env: [['OPTIND', 'x']] })).toBeNull();
  });
});

describe('runit run script: hostile hooks and paths (precondition, failure hook, working directory; real dash)', () => {
  // every quoting hazard sh has, in the directory the job must `cd` into
  const workingDirectory = join(work, ...HOSTILE_DIRS_QUOTES, 'pct %n %% %', 'dollar $HOME ${X} $$ `id`');
  mkdirSync(workingDirectory, { recursive: true, mode: 0o755 });
  const tokens = everyTokenCase().args;

  /** `run once` of a one-service spec; the probe's record on fd 3, as written by whichever hook ran it. */
  async function runOnce(service: object): Promise<{ code: number | null; stdout: string; record: ProbeRecord }>;
  async function runOnce(service: object, as: 'raw'): Promise<{ code: number | null; stdout: string; raw: string }>;
  async function runOnce(service: object, as?: 'raw'): Promise<{ code: number | null; stdout: string; record?: ProbeRecord; raw?: string }> {
    const model = compileSpec(hostileSpecText({ hostile: service }), 'hostile.json');
    const entry = renderSpec(model, { target: 'runit' }).entries.find((e) => e.path === RUN_PATH);
    if (entry?.kind !== 'file') throw new Error(`no ${RUN_PATH} rendered`);
    const dir = join(work, `hooks-${cases++}`);
    mkdirSync(dir);
    writeFileSync(join(dir, 'run'), entry.content);
    chmodSync(join(dir, 'run'), 0o755);
    const fd = openSync(join(dir, 'fd3'), 'w');
    try {
      const result = await run([dash, join(dir, 'run'), 'once'], fd);
      expect(result.stderr).toBe('');
      const written = readFileSync(join(dir, 'fd3'));
      return as === 'raw' ? { ...result, raw: written.toString() } : { ...result, record: parseProbeRecord(written) };
    } finally {
      closeSync(fd);
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it('the precondition gets its argv exactly, in the working directory (and a hostile description stays a comment)', async () => {
    const precondition = [programs[1] as string, ...tokens];
    // the description lands in `# name: description` comment lines: hostile text must stay a comment
    const description = tokens.filter((t) => !/[\\\t]/.test(t) && t.trim() === t && t !== '').join(' ').slice(0, 200).trim();
    const got = await runOnce({ ...hostileService(['/bin/true'], [['X', tokens.join('')]]), workingDirectory, precondition, description });
    expect(got.code).toBe(0);
    expect(got.stdout).toMatch(/run finished status=0/);
    expect(got.record.argv).toEqual(precondition);
    expect(environMap(got.record.environ).get('X')).toBe(tokens.join(''));
  });

  it('environmentFile: the common cases as systemd reads them (test/support/env-file.ts); no escapes', async () => {
    writeFileSync(join(SECRETS, 'job.env'), ENV_FILE_TEXT, { mode: 0o600 });
    const got = await runOnce({ ...hostileService([programs[0] as string], [['PLAIN', 'the file wins']]), environmentFile: `${SECRETS_AT}/job.env` });
    expect(got.code).toBe(0);
    const env = environMap(got.record.environ);
    for (const [name, value] of Object.entries(ENV_FILE_EXPECTED)) expect(env.get(name), name).toBe(value);
    for (const [name, { runit }] of Object.entries(ENV_FILE_DIFFERENCES)) expect(env.get(name), name).toBe(runit);
  });

  it('credentials: a secret under a quoting-hostile path is copied for the job, as LoadCredential= would', async () => {
    const name = "it's $HOME `id` %n.token";
    writeFileSync(join(SECRETS, name), 'the secret\n', { mode: 0o600 });
    // the job hands what it finds in $CREDENTIALS_DIRECTORY to the probe's fd 3 (the copy goes when the run ends)
    const got = await runOnce({
      ...hostileService(['/bin/sh', '-c', 'cat "$CREDENTIALS_DIRECTORY/api.token" >&3 && printf "%s" "$CREDENTIALS_DIRECTORY" >&3'], []),
      credentials: { 'api.token': `${SECRETS_AT}/${name}` },
    }, 'raw');
    expect(got.code).toBe(0);
    expect(got.raw).toBe('the secret\n/run/pvpn-gen/credentials/hostile');
  });

  it('the failure hook gets its argv exactly, and the failed status in MONITOR_EXIT_STATUS', async () => {
    const onFailure = [programs[2] as string, ...tokens];
    const got = await runOnce({ ...hostileService(['/bin/false'], []), workingDirectory, onFailure });
    expect(got.code).toBe(1);
    expect(got.stdout).toMatch(/run failed status=1 [\s\S]*failure hook finished status=0/);
    expect(got.record.argv).toEqual(onFailure);
    expect(environMap(got.record.environ).get('MONITOR_EXIT_STATUS')).toBe('1');
  });
});

describe('compileSpec refuses what no run script or unit can hold', () => {
  const control = fc
    .integer({ min: 0, max: 0x20 })
    .map((code) => String.fromCharCode(code === 0x20 ? 0x7f : code))
    .filter((ch) => CONTROL_EXCEPT_TAB.test(ch));
  const withControl = fc
    .tuple(hostileString, control, fc.nat())
    .map(([text, ch, at]) => {
      const cut = at % (text.length + 1);
      return text.slice(0, cut) + ch + text.slice(cut);
    });

  const rejects = (text: string) => {
    let error: unknown;
    try {
      compileSpec(text, 'hostile.json');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SpecError);
  };

  it('a control character (other than tab) in an argument', () => {
    fc.assert(
      fc.property(fc.array(hostileString, { maxLength: 3 }), withControl, fc.nat(), (args, bad, at) => {
        args.splice(at % (args.length + 1), 0, bad);
        rejects(hostileSpecText({ hostile: hostileService([probe.path, ...args], []) }));
      }),
      { numRuns: 300 },
    );
  });

  it('a control character (other than tab) in the program path', () => {
    fc.assert(
      fc.property(withControl, (bad) => rejects(hostileSpecText({ hostile: hostileService([`/opt/${bad}x/probe`], []) }))),
      { numRuns: 100 },
    );
  });

  it('a control character (other than tab) in an environment value', () => {
    fc.assert(
      fc.property(withControl, (bad) => rejects(hostileSpecText({ hostile: hostileService([probe.path], [['X', bad]]) }))),
      { numRuns: 300 },
    );
  });

  it('a lone surrogate in an argument or a value is refused', () => {
    rejects('{"version":1,"services":{"x":{"user":"daemon","command":["/bin/p","a\\ud800"]}}}');
    rejects('{"version":1,"services":{"x":{"user":"daemon","command":["/bin/p"],"environment":{"A":"\\udfff"}}}}');
  });

  it('an environment name that is not [A-Za-z_][A-Za-z0-9_]*', () => {
    const badName = fc.oneof(
      fc.constantFrom('', '1A', 'A-B', 'A B', 'A=B', 'A.B', 'é', '$A', 'A\tB', 'A\nB', '\u0000'),
      fc.string({ minLength: 1, maxLength: 6 }).filter((n) => !/^[A-Za-z_][A-Za-z0-9_]*$/.test(n)),
    );
    fc.assert(
      fc.property(badName, (name) => rejects(hostileSpecText({ hostile: hostileService([probe.path], [[name, 'v']]) }))),
      { numRuns: 200 },
    );
  });
});

/**
 * Hostile argv and environment through the systemd units, three ways:
 *  (a) in process, thousands of cases: the rendered ExecStart= and Environment= lines, read back with systemd 252's
 *      own rules (test/support/systemd-syntax.ts: extract_first_word, C unescapes, specifiers, $-expansion), give
 *      exactly the spec's argv and NAME=VALUE pairs;
 *  (b) a few hundred generated units in one `systemd-analyze verify` run, with the probe as the executable under
 *      --root: accepted without a word;
 *  (c) a real round trip: a throwaway systemd (test/harness/systemd-sandbox.ts) starts ~50 generated units (as
 *      `daemon`, with the generated hardening) whose program is the probe; the probe's record shows the argv and
 *      the spec's variables exactly as the spec wrote them.
 * The probe runs as `probe-shm` here: systemd gives a service no fd 3, and with ProtectSystem=strict, PrivateTmp=
 * and RemoveIPC= the one place both sides reach is a root-owned, world-writable file in /dev/shm (see probe.c).
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, linkSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderSpec } from '../../src/render/render.js';
import type { Rendered } from '../../src/render/types.js';
import { SpecError } from '../../src/errors.js';
import { compileSpec } from '../../src/model/compile.js';
import { bootSystemd, type Sandbox } from '../harness/systemd-sandbox.js';
import {
  HOSTILE_DIRS_QUOTES,
  HOSTILE_DIRS_SYSTEMD,
  HOSTILE_TOKENS,
  everyTokenCase,
  hostileCase,
  hostileService,
  hostileSpecText,
  specEnvironment,
  type HostileCase,
} from '../support/hostile.js';
import { PROBE_SHM_RECORD, buildProbe, environMap, parseProbeRecord } from '../support/probe.js';
import {
  EXTRACT_UNQUOTE,
  extractFirstWord,
  SystemdSyntaxError,
  execArgv,
  parseEnvironmentValue,
  parseExecValue,
  parseUnitFile,
  replaceEnvArgv,
  specifierPrintf,
  type ExecCommand,
  type UnitLine,
} from '../support/systemd-syntax.js';
import { stageForVerify, verifyUnits } from '../support/verify.js';
import { requireRoot, requireTool } from '../support/tools.js';

const systemdAnalyze = requireTool('systemd-analyze');
const probe = buildProbe();

/** Where the programs live inside the sandbox (a bind of a host directory) and, for verify, under --root. */
const BASE = '/opt/pvpn-hostile';
const PROGRAMS = [`${BASE}/bin/probe-shm`, ...HOSTILE_DIRS_SYSTEMD.map((dir, i) => `${BASE}/bin/${i} ${dir}/probe-shm`)];
const caseArb = hostileCase(PROGRAMS.length);
const UNIT_DIR = '/etc/systemd/system';

function commandOf(c: HostileCase): string[] {
  return [PROGRAMS[c.program] as string, ...c.args];
}

function render(services: Record<string, object>): Rendered {
  return renderSpec(compileSpec(hostileSpecText(services), 'hostile.json'), { target: 'systemd' });
}

function unitFile(rendered: Rendered, unit: string): string {
  const entry = rendered.entries.find((e) => e.path === `${UNIT_DIR}/${unit}`);
  if (entry?.kind !== 'file') throw new Error(`no ${unit} rendered`);
  return entry.content;
}

/** The cases every part runs first: every token at once under every program path, and OPTIND (fine in systemd). */
function fixedCases(): HostileCase[] {
  return [
    ...PROGRAMS.map((_, program) => ({ ...everyTokenCase(), program })),
    { program: 0, args: ['-', '\ufffd\u{10fffd}x', '$\u{1f600}%'], env: [['OPTIND', 'x'], ['INVOCATION_ID', '$$'], ['SYSTEMD_EXEC_PID', '%n']] },
    { program: 0, args: HOSTILE_TOKENS.map((t) => `$${t}`), env: HOSTILE_TOKENS.map((t, i) => [`T${i}`, `${t}$`] as [string, string]) },
  ];
}

/** Reads the unit back with systemd's rules; returns what differs from the spec (empty: nothing). */
function readBack(c: HostileCase, content: string): string[] {
  const problems: string[] = [];
  const warnings: string[] = [];
  let lines: UnitLine[];
  try {
    lines = parseUnitFile(content, warnings);
  } catch (error) {
    return [String(error)];
  }
  const service = lines.filter((l) => l.section === 'Service');
  const want = specEnvironment(c.env);

  const assignments: string[] = [];
  for (const line of service.filter((l) => l.key === 'Environment')) {
    const parsed = parseEnvironmentValue(line.value, warnings);
    if (parsed.length !== 1) problems.push(`line ${line.line}: ${parsed.length} assignments in Environment=${line.value}`);
    assignments.push(...parsed);
  }
  const expectedAssignments = [...want].map(([n, v]) => `${n}=${v}`).sort();
  if (JSON.stringify([...assignments].sort()) !== JSON.stringify(expectedAssignments)) {
    problems.push(`Environment= gives ${JSON.stringify(assignments)}, expected ${JSON.stringify(expectedAssignments)}`);
  }

  const execs = service.filter((l) => l.key === 'ExecStart');
  if (execs.length !== 1) return [...problems, `${execs.length} ExecStart= lines`];
  const exec = execs[0] as UnitLine;
  const command = commandOf(c);
  try {
    const commands = parseExecValue(exec.value, warnings);
    if (commands.length !== 1) problems.push(`ExecStart= holds ${commands.length} commands: ${exec.value}`);
    const first = commands[0];
    if (first) {
      if (first.path !== command[0]) problems.push(`executes ${JSON.stringify(first.path)}, expected ${JSON.stringify(command[0])}`);
      const expectedPrefixes = command[0]?.includes('$') ? '@' : '';
      if (first.prefixes !== expectedPrefixes) problems.push(`prefixes ${JSON.stringify(first.prefixes)}`);
      // expanded with the unit's own environment: an unescaped ${NAME} would pick up the spec's value
      const argv = execArgv(first, want);
      if (JSON.stringify(argv) !== JSON.stringify(command)) problems.push(`argv ${JSON.stringify(argv)}, expected ${JSON.stringify(command)}`);
    }
  } catch (error) {
    problems.push(`ExecStart=${exec.value}: ${String(error)}`);
  }
  if (warnings.length > 0) problems.push(`warnings: ${warnings.join('; ')}`);
  return problems;
}

describe('(a) systemd units read back with systemd 252 rules give exactly the spec (in process)', () => {
  const RUNS = 4000;

  it(`${RUNS} generated cases: ExecStart= is the argv, each Environment= one exact NAME=VALUE`, () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const services = { hostile: hostileService(commandOf(c), c.env) };
        const problems = readBack(c, unitFile(render(services), 'hostile.service'));
        if (problems.length > 0) throw new Error(problems.join('\n'));
      }),
      { numRuns: RUNS, examples: fixedCases().map((c) => [c] as [HostileCase]) },
    );
  });

  it('hooks, paths and text: ExecCondition=, the failure unit, WorkingDirectory=, EnvironmentFile=, LoadCredential=, Description=', () => {
    const tokens = everyTokenCase().args;
    // paths can hold anything but a backslash or a control character; `%` and `$` are the hazards here
    const dir = `${BASE}/${HOSTILE_DIRS_SYSTEMD.join('/')}/it's "q"`;
    const description = `${tokens.filter((t) => !/[\\\t]/.test(t) && t.trim() === t && t !== '').join(' ')} %n $HOME`;
    // secrets beside the writable directory, not in it: a secret a service can swap is refused (render/trust.ts)
    const secrets = `${BASE}/${HOSTILE_DIRS_SYSTEMD.join('/')}/secret's "q"`;
    const precondition = [PROGRAMS[1] as string, ...tokens];
    const onFailure = [PROGRAMS[2] as string, ...tokens];
    const rendered = render({
      hostile: {
        ...hostileService(commandOf(everyTokenCase()), []),
        description,
        precondition,
        onFailure,
        workingDirectory: dir,
        environmentFile: `${secrets}/env`,
        credentials: { token: `${secrets}/token` },
        hardening: { profile: 'strict', writablePaths: [dir, `${dir}/second one`], readOnlyPaths: [`${dir}/ro`] },
      },
    });
    const unescaped = (value: string) => Buffer.from(specifierPrintf([...Buffer.from(value)])).toString();
    const none = new Map<string, string>();
    for (const [unit, key, argv] of [['hostile.service', 'ExecCondition', precondition], ['hostile-failure.service', 'ExecStart', onFailure]] as const) {
      const warnings: string[] = [];
      const lines = parseUnitFile(unitFile(rendered, unit), warnings);
      const exec = lines.filter((l) => l.key === key);
      expect(exec, `${unit} ${key}=`).toHaveLength(1);
      const [command, ...more] = parseExecValue((exec[0] as UnitLine).value, warnings);
      expect(more).toEqual([]);
      expect(execArgv(command as ExecCommand, none)).toEqual(argv);
      const value = (k: string) => lines.find((l) => l.key === k)?.value ?? '';
      expect(unescaped(value('WorkingDirectory'))).toBe(dir);
      expect(unescaped(value('EnvironmentFile'))).toBe(`${secrets}/env`);
      expect(unescaped(value('LoadCredential'))).toBe(`token:${secrets}/token`);
      expect(warnings).toEqual([]);
    }
    const main = parseUnitFile(unitFile(rendered, 'hostile.service'));
    expect(unescaped(main.find((l) => l.key === 'Description')?.value ?? '')).toBe(description);
    // path lists as systemd 252 reads them (config_parse_namespace_path_strv): words unquoted, a leading `-` (missing
    // is fine) taken off, then specifiers
    const pathList = (key: string) => {
      const value = Buffer.from(main.find((l) => l.key === key)?.value ?? '');
      const paths: string[] = [];
      for (let at: number | null = 0; ; ) {
        const { word, next } = extractFirstWord(value, at, EXTRACT_UNQUOTE);
        if (word === null) return paths;
        const text = Buffer.from(word).toString();
        paths.push(unescaped(text.startsWith('-') ? text.slice(1) : text));
        at = next;
      }
    };
    expect(pathList('ReadWritePaths')).toEqual([dir, `${dir}/second one`]);
    expect(pathList('ReadOnlyPaths')).toEqual([`${dir}/ro`]);
    // and systemd itself loads all of it without a word
    const root = stageForVerify(rendered, [PROGRAMS[0] as string, PROGRAMS[1] as string, PROGRAMS[2] as string]);
    try {
      const verify = verifyUnits(root, rendered);
      expect(verify.output).toBe('');
      expect(verify.status).toBe(0);
      // the service user's home is the working directory: systemd-sysusers reads the field back exactly
      mkdirSync(`${root}/etc`, { recursive: true });
      const sysusers = spawnSync(requireTool('systemd-sysusers'), [`--root=${root}`, `${root}/etc/sysusers.d/pvpn-gen-hostile.conf`], { encoding: 'utf8' });
      expect(sysusers.status, sysusers.stderr).toBe(0);
      const passwd = readFileSync(`${root}/etc/passwd`, 'utf8').split('\n').find((l) => l.startsWith('daemon:'));
      expect(passwd?.split(':')[5]).toBe(dir);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('refuses, at validation, a program path systemd cannot run (quotes) and text systemd drops (noncharacters)', () => {
    for (const dir of HOSTILE_DIRS_QUOTES) {
      const services = { hostile: hostileService([`${BASE}/bin/${dir}/probe-shm`], []) };
      expect(() => render(services), dir).toThrow(SpecError);
    }
    for (const text of ['\ufdd0', 'a\uffff', '\u{10fffe}', '\u{1ffff}b']) {
      expect(() => render({ hostile: hostileService([`${BASE}/bin/probe-shm`, text], []) })).toThrow(SpecError);
      expect(() => render({ hostile: hostileService([`${BASE}/bin/probe-shm`], [['A', text]]) })).toThrow(SpecError);
    }
  });

  // The parser is only worth what it agrees with systemd on: the behaviours the tests rely on, from the sources
  // and from systemd.service(5) "Command lines".
  it('the test parser follows systemd on known inputs', () => {
    const argv = (value: string, env: Record<string, string> = {}) => {
      const [command, ...rest] = parseExecValue(value);
      expect(rest).toEqual([]);
      return replaceEnvArgv((command as { argv: string[] }).argv, new Map(Object.entries(env)));
    };
    const warnings: string[] = [];
    // "\ " is no C escape: kept as written, with a warning (systemd-analyze verify prints the same)
    expect(parseExecValue('/bin/echo "a b" c\\ d', warnings).map((c) => c.argv)).toEqual([['/bin/echo', 'a b', 'c\\ d']]);
    expect(warnings).toEqual(['Ignoring unknown escape sequences: "c\\ d"']);
    expect(argv('/bin/echo "\\x41\\101\\u00e9\\s\\t"')).toEqual(['/bin/echo', 'AAé \t']);
    expect(argv("/bin/echo 'it''s' \"q\\\"\"")).toEqual(['/bin/echo', 'its', 'q"']);
    expect(argv('/bin/echo \\; ";" x')).toEqual(['/bin/echo', ';', ';', 'x']);
    expect(argv('/bin/echo %% $$ $${X} ${X} $X ${X', { X: '1 2' })).toEqual(['/bin/echo', '%', '$', '${X}', '1 2', '1', '2', '${X']);
    expect(argv('/bin/echo a$Xb ${Y:-z}', { X: 'x' })).toEqual(['/bin/echo', 'a$Xb', '${Y:-z}']);
    expect(parseExecValue('/bin/a x ; /bin/b y').map((c) => c.argv)).toEqual([['/bin/a', 'x'], ['/bin/b', 'y']]);
    expect(parseExecValue('-@/bin/a zero one')).toEqual([{ prefixes: '-@', path: '/bin/a', argv: ['zero', 'one'] }]);
    expect(() => parseExecValue('/bin/echo %Z')).toThrow(SystemdSyntaxError);
    expect(() => parseExecValue('/bin/echo "open')).toThrow(SystemdSyntaxError);
    expect(() => parseExecValue('"/opt/it\'s/x"')).toThrow(/special characters/);
    expect(parseExecValue('/bin/echo "\\q"', warnings)[0]?.argv).toEqual(['/bin/echo', '\\q']);
    expect(warnings).toHaveLength(2);
    expect(parseExecValue('/bin/echo "\\xef\\xbf\\xbf"')[0]?.argv).toEqual(['/bin/echo', '\uffff']);
    expect(parseEnvironmentValue('"A=1 2" B=3 "C=%%\\t$X"')).toEqual(['A=1 2', 'B=3', 'C=%\t$X']);
    expect(parseEnvironmentValue('1A=x "B C=y" "D=\\xef\\xbf\\xbf"', warnings)).toEqual([]);
    expect(warnings).toHaveLength(5);
    expect(parseUnitFile('[Service]\nDescription=\uffff\n', warnings)).toEqual([]);
    expect(warnings).toHaveLength(6);
    expect(parseUnitFile('[Service]\n# c\nExecStart=/bin/a \\\n  b\nEnvironment = "X=\\\\" \n')).toEqual([
      { section: 'Service', key: 'ExecStart', value: '/bin/a    b', line: 3 },
      { section: 'Service', key: 'Environment', value: '"X=\\\\"', line: 5 },
    ]);
  });
});

describe('(b) systemd-analyze verify accepts hundreds of generated hostile units', () => {
  const COUNT = 300;
  let root: string;
  afterAll(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it(`${COUNT} services in one run, no output at all`, () => {
    const cases = [...fixedCases(), ...fc.sample(caseArb, COUNT - fixedCases().length)];
    const services = Object.fromEntries(cases.map((c, i) => [`h${String(i).padStart(3, '0')}`, hostileService(commandOf(c), c.env)]));
    const rendered = render(services);
    root = mkdtempSync(join(tmpdir(), 'pvpn-hostile-verify-'));
    const units: string[] = [];
    for (const e of rendered.entries) {
      if (e.kind !== 'file') continue;
      mkdirSync(dirname(root + e.path), { recursive: true });
      writeFileSync(root + e.path, e.content);
      if (e.path.endsWith('.service')) units.push(root + e.path);
    }
    expect(units).toHaveLength(COUNT);
    for (const program of PROGRAMS) {
      mkdirSync(dirname(root + program), { recursive: true });
      copyFileSync(probe.path, root + program);
      chmodSync(root + program, 0o755);
    }
    const result = spawnSync(systemdAnalyze, ['verify', '--man=no', '--recursive-errors=no', `--root=${root}`, ...units], {
      encoding: 'utf8',
      env: { ...process.env, SYSTEMD_LOG_COLOR: '0', SYSTEMD_PAGER: '' },
      maxBuffer: 64 * 1024 * 1024,
    });
    expect(result.error).toBeUndefined();
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});

describe('(c) a real systemd runs generated hostile units: the program gets exactly the argv and the environment', () => {
  const COUNT = 50;
  /** What systemd itself adds for a `User=daemon` service (the spec's values win on the same name). */
  const SYSTEMD_ADDS = new Set(['PATH', 'LANG', 'HOME', 'LOGNAME', 'USER', 'SHELL', 'INVOCATION_ID', 'JOURNAL_STREAM', 'SYSTEMD_EXEC_PID']);
  let sb: Sandbox | undefined;
  let host: string;

  beforeAll(async () => {
    requireRoot('the end-to-end part boots systemd in namespaces');
    host = mkdtempSync(join(tmpdir(), 'pvpn-hostile-sd-'));
    chmodSync(host, 0o755); // the units run as daemon and must reach the probe
    for (const program of PROGRAMS) {
      const path = host + program.slice(BASE.length);
      mkdirSync(dirname(path), { recursive: true, mode: 0o755 });
      if (!existsSync(path)) linkSync(probe.shmPath, path);
    }
    mkdirSync(join(host, 'units'));
    mkdirSync(join(host, 'results'));
    sb = await bootSystemd({ binds: [`${host}:${BASE}`] });
  });
  afterAll(async () => {
    await sb?.stop();
    if (host) rmSync(host, { recursive: true, force: true });
  });

  it(`${COUNT} units started one after the other`, async () => {
    const box = sb as Sandbox;
    const seed = Number(process.env.PVPN_HOSTILE_SEED ?? Date.now() % 2 ** 31);
    const cases = [...fixedCases(), ...fc.sample(caseArb, { numRuns: COUNT - fixedCases().length, seed })];
    const names = cases.map((_, i) => `pvpn-hostile-${String(i).padStart(2, '0')}`);
    cases.forEach((c, i) => {
      const name = names[i] as string;
      const content = unitFile(render({ [name]: hostileService(commandOf(c), c.env) }), `${name}.service`);
      writeFileSync(join(host, 'units', `${name}.service`), content);
    });
    const installed = await box.exec(['sh', '-c', `cp ${BASE}/units/*.service ${UNIT_DIR}/ && systemctl daemon-reload`]);
    expect(installed).toMatchObject({ code: 0, stderr: '' });

    // One exec for all: a fresh root-owned record file (RemoveIPC= would delete one the service owned), start,
    // keep the record, and the unit's status and log when it failed.
    const script = [
      'for u in "$@"; do',
      `  install -m 0666 /dev/null ${PROBE_SHM_RECORD} || exit 125`,
      '  systemctl start "$u.service"; echo $? >"$0/$u.rc"',
      `  cp ${PROBE_SHM_RECORD} "$0/$u.record"`,
      '  [ "$(cat "$0/$u.rc")" = 0 ] || { systemctl status --no-pager -l "$u.service"; journalctl -b --no-pager -o cat -u "$u.service"; } >"$0/$u.log" 2>&1',
      'done',
    ].join('\n');
    const ran = await box.exec(['sh', '-c', script, `${BASE}/results`, ...names], { timeoutMs: 240_000 });
    expect(ran).toMatchObject({ code: 0, stderr: '' });

    const failures: string[] = [];
    cases.forEach((c, i) => {
      const name = names[i] as string;
      const problems: string[] = [];
      const rc = readFileSync(join(host, 'results', `${name}.rc`), 'utf8').trim();
      if (rc !== '0') problems.push(`systemctl start: exit ${rc}\n${readFileSync(join(host, 'results', `${name}.log`), 'utf8')}`);
      try {
        const record = parseProbeRecord(readFileSync(join(host, 'results', `${name}.record`)));
        const command = commandOf(c);
        if (JSON.stringify(record.argv) !== JSON.stringify(command)) {
          problems.push(`argv ${JSON.stringify(record.argv)}, expected ${JSON.stringify(command)}`);
        }
        const got = environMap(record.environ);
        const want = specEnvironment(c.env);
        for (const [n, v] of want) {
          if (!got.has(n)) problems.push(`${n} missing (expected ${JSON.stringify(v)})`);
          else if (got.get(n) !== v) problems.push(`${n}=${JSON.stringify(got.get(n))}, expected ${JSON.stringify(v)}`);
        }
        for (const [n, v] of got) if (!want.has(n) && !SYSTEMD_ADDS.has(n)) problems.push(`unexpected ${n}=${JSON.stringify(v)}`);
      } catch (error) {
        problems.push(String(error));
      }
      if (problems.length > 0) failures.push(`${name}: ${problems.join('; ')}\n  case: ${JSON.stringify(c)}`);
    });
    expect(failures, `seed ${seed} (PVPN_HOSTILE_SEED=${seed} repeats this run)`).toEqual([]);
  }, 300_000);
});

/**
 * Timing whole processes, side by side.
 *
 * hyperfine (-N: no shell in between) is the timer when it is installed. hyperfine runs all runs of one command
 * before the next, so to interleave we call it in ROUNDS: each round times every command (warm-up first, then
 * `runs` runs), and the rounds' times are pooled. A slow minute on this shared 2-core machine then hits every command
 * instead of one. Without hyperfine, a node harness does the same with per-run interleaving (A B C A B C ...), timed
 * with hrtime around spawnSync; its numbers include a few ms more spawn overhead than hyperfine's (~4 ms here), for
 * every command alike. The report says which timer ran.
 *
 * Every measured process gets the environment minus NODE_EXTRA_CA_CERTS (these machines point it at the system CA
 * bundle, which makes every node start read and parse it: +40-50 ms) and minus NODE_OPTIONS.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const REMOVED_ENV = ['NODE_EXTRA_CA_CERTS', 'NODE_OPTIONS'];
export const benchEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !REMOVED_ENV.includes(k)));

/** hyperfine's version, or null when it is missing (or when PVPN_BENCH_TIMER=node asks for the node harness). */
export function hyperfineVersion() {
  if (process.env.PVPN_BENCH_TIMER === 'node') return null;
  try {
    return execFileSync('hyperfine', ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    return null;
  }
}

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** hyperfine -N splits command lines itself (shell words): our arguments never need quoting; make sure of it. */
const line = (argv) => {
  for (const a of argv) if (/[\s'"\\$]/.test(a)) throw new Error(`bench: argument needs quoting, not supported: ${a}`);
  return argv.join(' ');
};

/** One check run per command (untimed): the exit code must be an expected one, else the numbers mean nothing. */
export function preflight(commands) {
  for (const c of commands) {
    if (c.prepare) spawnSync(c.prepare[0], c.prepare.slice(1), { env: benchEnv, stdio: 'ignore' });
    const r = spawnSync(c.argv[0], c.argv.slice(1), { env: benchEnv, encoding: 'utf8', maxBuffer: 1 << 30 });
    const ok = c.okCodes ?? [0];
    if (!ok.includes(r.status)) {
      throw new Error(`bench: "${c.name}" exited ${r.status ?? r.signal} (expected ${ok.join(' or ')}):\n${(r.stderr || '').slice(0, 2000)}`);
    }
  }
}

/**
 * Times `commands` ({ name, argv, prepare?, okCodes? }) interleaved: `rounds` x (`warmup` + `runs`) each.
 * prepare (an argv, untimed) runs before every run of its command, warm-ups included. `check: false` skips the
 * preflight run when the caller has already checked the command.
 * Returns { timer, results: { [name]: { times: ms[], median, min, max, cpu } } }; cpu is the mean user+system time
 * (ms) that hyperfine reports, less disturbed than wall time when other work competes for the CPUs (null without
 * hyperfine).
 */
export function measure(commands, { rounds, runs, warmup, check = true }) {
  if (check) preflight(commands);
  const times = new Map(commands.map((c) => [c.name, []]));
  const codes = new Map(commands.map((c) => [c.name, []]));
  const cpu = new Map(commands.map((c) => [c.name, []])); // hyperfine's mean user+system time per round
  const hf = hyperfineVersion();
  if (hf) {
    const dir = mkdtempSync(join(tmpdir(), 'pvpn-bench-hf-'));
    try {
      for (let round = 0; round < rounds; round++) {
        const json = join(dir, `round-${round}.json`);
        // each round starts with a different command, so none is always first after a pause
        const order = commands.map((_, i) => commands[(i + round) % commands.length]);
        const args = ['-N', '-i', '--style', 'none', '--warmup', String(warmup), '--runs', String(runs), '--export-json', json];
        if (order.some((c) => c.prepare)) for (const c of order) args.push('--prepare', line(c.prepare ?? ['true']));
        for (const c of order) args.push('-n', c.name, line(c.argv));
        // stderr is kept from the terminal (hyperfine warns "Ignoring non-zero exit code" for diff, which is expected)
        // and shown only if hyperfine itself fails; exit codes are checked below
        try {
          execFileSync('hyperfine', args, { env: benchEnv, stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 26 });
        } catch (error) {
          throw new Error(`bench: hyperfine failed: ${error.stderr?.toString() ?? error.message}`);
        }
        for (const r of JSON.parse(readFileSync(json, 'utf8')).results) {
          times.get(r.command).push(...r.times.map((s) => s * 1000));
          codes.get(r.command).push(...r.exit_codes);
          cpu.get(r.command).push((r.user + r.system) * 1000);
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  } else {
    const once = (c) => {
      if (c.prepare) spawnSync(c.prepare[0], c.prepare.slice(1), { env: benchEnv, stdio: 'ignore' });
      const t0 = process.hrtime.bigint();
      const r = spawnSync(c.argv[0], c.argv.slice(1), { env: benchEnv, stdio: 'ignore' });
      return { ms: Number(process.hrtime.bigint() - t0) / 1e6, code: r.status };
    };
    for (let round = 0; round < rounds; round++) {
      for (let w = 0; w < warmup; w++) for (const c of commands) once(c);
      for (let i = 0; i < runs; i++) {
        for (const c of commands) {
          const { ms, code } = once(c);
          times.get(c.name).push(ms);
          codes.get(c.name).push(code);
        }
      }
    }
  }
  const results = {};
  for (const c of commands) {
    const bad = codes.get(c.name).filter((code) => !(c.okCodes ?? [0]).includes(code));
    if (bad.length > 0) throw new Error(`bench: "${c.name}" exited ${bad[0]} in ${bad.length} timed runs`);
    const t = times.get(c.name);
    const c2 = cpu.get(c.name);
    const cpuMs = c2.length > 0 ? c2.reduce((a, b) => a + b, 0) / c2.length : null;
    results[c.name] = { times: t, median: median(t), min: Math.min(...t), max: Math.max(...t), cpu: cpuMs };
  }
  return { timer: hf ?? 'node harness (hyperfine not found)', results };
}

/**
 * One untimed run with its peak resident memory: a preloaded hook writes process.resourceUsage().maxRSS (KB) when
 * the process exits, so this needs no /usr/bin/time (not on every machine). Returns { ms, code, rssKb }; the
 * wall time is a rough probe (spawnSync + the hook) used only to choose run counts.
 */
export function probe(argv) {
  const dir = mkdtempSync(join(tmpdir(), 'pvpn-bench-rss-'));
  const out = join(dir, 'rss');
  try {
    const hook = new URL('./maxrss-hook.cjs', import.meta.url).pathname;
    const t0 = process.hrtime.bigint();
    const r = spawnSync(argv[0], ['--require', hook, ...argv.slice(1)], { env: { ...benchEnv, PVPN_BENCH_RSS_FILE: out }, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', maxBuffer: 1 << 30 });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (r.error) throw r.error;
    return { ms, code: r.status, stderr: r.stderr, rssKb: Number(readFileSync(out, 'utf8')) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

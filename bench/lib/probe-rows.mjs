#!/usr/bin/env node
/**
 * A few rows of the benchmark, for checking one change without `npm run bench` (minutes, on a shared machine):
 *
 *   node bench/lib/probe-rows.mjs [--build DIR]... [--sizes 1000,10000] [--rounds N] [--startup ROUNDS]
 *
 * DIR holds a build (package.json, bin/, dist/: copy them aside before a change to compare before and after);
 * without --build, this checkout's build is measured. Every build is timed in the same interleaved rounds
 * (lib/timer.mjs: hyperfine -N when installed, the environment cleaned as in run.mjs):
 *   - scale: `diff --root <empty> --target systemd` of generated specs (lib/gen-spec.mjs), with the peak RSS of one
 *     untimed run per build and size (its exit code checked: 1, changes to show);
 *   - start-up (--startup ROUNDS, 0 to skip): `render --target systemd|runit` of the example spec, with `node -e 0`.
 * Prints a table and each build's standing against the limits of lib/limits.mjs; exits 1 when one is exceeded.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { writeSpec } from './gen-spec.mjs';
import { DIFF_1000_MS, DIFF_10000_PEAK_RSS_MB, RENDER_RATIO } from './limits.mjs';
import { hyperfineVersion, measure, probe } from './timer.mjs';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const NODE = process.execPath;
const FIXTURE = join(REPO, 'fixtures/protonvpn-updater.yaml');
const { values } = parseArgs({
  options: {
    build: { type: 'string', multiple: true, default: [] },
    sizes: { type: 'string', default: '1000,10000' },
    rounds: { type: 'string', default: '5' },
    startup: { type: 'string', default: '30' },
  },
});
const log = (s) => process.stderr.write(`probe-rows: ${s}\n`);
const work = mkdtempSync(join(tmpdir(), 'pvpn-probe-'));
try {
  // the builds measured: copies, so that a rebuild meanwhile (it deletes dist/) cannot mix two builds in one row
  const builds = (values.build.length > 0 ? values.build : [REPO]).map((dir, i) => {
    const name = values.build.length > 0 ? `${i + 1}:${basename(resolve(dir))}` : 'this build';
    const copy = join(work, `build-${i}`);
    for (const part of ['package.json', 'bin', 'dist']) cpSync(join(dir, part), join(copy, part), { recursive: true });
    return { name, bin: join(copy, 'bin/pvpn-gen.js') };
  });
  const sizes = values.sizes.split(',').filter(Boolean).map(Number);
  const empty = join(work, 'empty-root');
  mkdirSync(empty);
  log(`load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}; timer: ${hyperfineVersion() ?? 'node harness'}`);

  const results = builds.map((b) => ({ build: b.name, scale: [], startup: null }));
  if (sizes.length > 0) {
    const diff = (b, i, n, spec) => ({ name: `${i}/${n}`, argv: [NODE, b.bin, '--spec', spec, 'diff', '--root', empty, '--target', 'systemd'], okCodes: [1] });
    const commands = [];
    for (const n of sizes) {
      const spec = writeSpec(join(work, `spec-${n}.yaml`), n);
      builds.forEach((b, i) => {
        commands.push({ ...diff(b, i, n, spec), build: i, services: n });
      });
    }
    for (const c of commands) {
      const p = probe(c.argv);
      if (p.code !== 1) throw new Error(`${c.name}: diff exited ${p.code}, expected 1:\n${p.stderr.slice(0, 2000)}`);
      c.rssKb = p.rssKb;
    }
    log(`scale: ${sizes.join(', ')} services x ${builds.length} build(s), ${values.rounds} interleaved rounds`);
    const timed = measure(commands, { rounds: Number(values.rounds), runs: 1, warmup: 0, check: false }).results;
    for (const c of commands) results[c.build].scale.push({ services: c.services, medianMs: timed[c.name].median, minMs: timed[c.name].min, peakRssMb: c.rssKb / 1024 });
  }
  if (Number(values.startup) > 0) {
    const floor = { name: 'floor', argv: [NODE, '-e', '0'] };
    const renders = builds.flatMap((b, i) => ['systemd', 'runit'].map((t) => ({ name: `${i}/${t}`, argv: [NODE, b.bin, '--spec', FIXTURE, 'render', '--target', t] })));
    log(`start-up: node -e 0 and render of ${basename(FIXTURE)} x ${builds.length} build(s), ${values.startup} interleaved rounds`);
    const timed = measure([floor, ...renders], { rounds: Number(values.startup), runs: 1, warmup: 1 }).results;
    builds.forEach((_, i) => {
      const row = (t) => ({ medianMs: timed[`${i}/${t}`].median, ratio: timed[`${i}/${t}`].median / timed.floor.median });
      results[i].startup = { floorMs: timed.floor.median, systemd: row('systemd'), runit: row('runit') };
    });
  }

  let failed = false;
  const check = (ok) => {
    if (ok === false) failed = true;
    return ok === undefined ? '' : ok ? 'PASS' : 'FAIL';
  };
  const out = ['| build | row | median | peak RSS | limit | |', '| --- | --- | ---: | ---: | --- | --- |'];
  for (const r of results) {
    for (const s of r.scale) {
      const limit = s.services === 1000 ? `<= ${DIFF_1000_MS} ms` : s.services === 10000 ? `<= ${DIFF_10000_PEAK_RSS_MB} MB` : '';
      const ok = s.services === 1000 ? s.medianMs <= DIFF_1000_MS : s.services === 10000 ? s.peakRssMb <= DIFF_10000_PEAK_RSS_MB : undefined;
      out.push(`| ${r.build} | diff, ${s.services} services | ${s.medianMs.toFixed(0)} ms (min ${s.minMs.toFixed(0)}) | ${s.peakRssMb.toFixed(0)} MB | ${limit} | ${check(ok)} |`);
    }
    if (r.startup) {
      for (const t of ['systemd', 'runit']) {
        const x = r.startup[t];
        out.push(`| ${r.build} | render --target ${t} | ${x.medianMs.toFixed(1)} ms, ${x.ratio.toFixed(2)}x of node -e 0 (${r.startup.floorMs.toFixed(1)} ms) | | <= ${RENDER_RATIO.toFixed(2)}x | ${check(x.ratio <= RENDER_RATIO)} |`);
      }
    }
  }
  process.stdout.write(out.join('\n') + '\n');
  process.exitCode = failed ? 1 : 0;
} finally {
  rmSync(work, { recursive: true, force: true });
}

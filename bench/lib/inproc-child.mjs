/**
 * In-process throughput of one spec, in a child process of its own (so its peak RSS is its own):
 *   node inproc-child.mjs API_BUNDLE SPEC WARMUP_SPEC EMPTY_ROOT WARMUPS MIN_RUNS MAX_RUNS BUDGET_MS
 * Stages, timed separately, as the CLI's `diff --root EMPTY --target systemd` runs them:
 *   compile = read the file + YAML parse + schema validation + normalise (loadSpec with an explicit path: no search)
 *   render  = renderSpec(model, { target: 'systemd' })
 *   plan    = planInstall: read the manifests and the states of every path under the root, then buildPlan
 *   format  = formatPlan: the unified diff text diff prints (not part of "validate+render+plan"; shown apart)
 * Warm-ups run the whole pipeline first on WARMUP_SPEC (JIT, caches: the code paths are warmed, whatever the size;
 * run.mjs warms the 10,000-service run on the 1,000-service spec to save a 10 s warm-up). Iterations then run back
 * to back: this is steady-state throughput, garbage collection included as it falls. (No forced gc() between
 * iterations: it shrinks the heap, and the next iteration ran 2-3x slower while V8 grew it again, which measured
 * the heap heuristics rather than pvpn-gen. The CLI rows show the cold, fresh-heap cost.) Prints JSON: median ms
 * per stage, peak RSS of this process.
 */
import { pathToFileURL } from 'node:url';

const [bundle, specPath, warmupSpec, root, warmups, minRuns, maxRuns, budgetMs] = process.argv.slice(2);
const api = await import(pathToFileURL(bundle).href);
const site = api.resolveSite(root, process.cwd());

async function once(path = specPath) {
  const t0 = performance.now();
  const spec = await api.loadSpec({ spec: path });
  const t1 = performance.now();
  const rendered = api.renderSpec(spec.model, { target: 'systemd' });
  const t2 = performance.now();
  const { plan } = api.planInstall(site, spec, rendered, { scope: null, force: false });
  const t3 = performance.now();
  const text = api.formatPlan(plan, { actionsNote: 'not run with --root' });
  const t4 = performance.now();
  if (text.length === 0 || plan.changes.length !== rendered.entries.length) throw new Error('unexpected plan');
  return { compile: t1 - t0, render: t2 - t1, plan: t3 - t2, format: t4 - t3, files: rendered.entries.length };
}

for (let i = 0; i < Number(warmups); i++) await once(warmupSpec);
// at least MIN_RUNS timed iterations, then more while the time budget lasts, at most MAX_RUNS
const runs = [];
const start = performance.now();
while (runs.length < Number(minRuns) || (runs.length < Number(maxRuns) && performance.now() - start < Number(budgetMs))) {
  runs.push(await once());
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const stage = (k) => median(runs.map((r) => r[k]));
const result = { compile: stage('compile'), render: stage('render'), plan: stage('plan'), format: stage('format') };
result.pipeline = median(runs.map((r) => r.compile + r.render + r.plan)); // validate+render+plan
result.files = runs[0].files;
result.iterations = runs.length;
result.maxRssKb = process.resourceUsage().maxRSS;
process.stdout.write(JSON.stringify(result) + '\n');

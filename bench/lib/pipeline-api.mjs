/**
 * The pipeline stages the in-process measurement times, taken straight from src/ (run.mjs bundles this file with
 * esbuild exactly as scripts/build.mjs bundles the CLI). dist/index.js exports compile and render only; the planner
 * (planInstall: readManifests + readStates + buildPlan) and formatPlan are internal, hence this small entry.
 */
export { loadSpec } from '../../src/model/load.js';
export { renderSpec } from '../../src/render/render.js';
export { planInstall, resolveSite } from '../../src/system/session.js';
export { formatPlan } from '../../src/plan/format-diff.js';

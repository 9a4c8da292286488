/**
 * The programmatic API: the same pure pipeline the CLI uses. Importing it has no side effects.
 *
 *   const model = compileSpec(text, 'pvpn-gen.yaml');
 *   const rendered = renderSpec(model, { target: 'systemd' });
 */
export { compileSpec } from './model/compile.js';
export { loadSpec, type LoadedSpec, type LoadOptions } from './model/load.js';
export { renderSpec, type RenderOptions } from './render/render.js';
export { formatProblem, type Problem } from './model/problem.js';
export { PvpnGenError, SpecError, UsageError, OperationError, LockedError } from './errors.js';
export type { SpecDocument, SpecModel, ServiceModel } from './model/types.js';
export type { DesiredEntry, DesiredFile, DesiredLink, Rendered, ServiceHandle, TargetName } from './render/types.js';
export { CAPABILITY_KEYS, capabilityTableMarkdown } from './render/capabilities.js';
export { ALL_TARGETS, TARGETS } from './targets/index.js';
export type { Target } from './targets/target.js';
export { HARDENING_TABLE, hardeningTableMarkdown } from './targets/systemd/hardening.js';
export { VERSION } from './version.js';

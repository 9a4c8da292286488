/**
 * SpecModel -> Rendered: every file and link a target needs, sorted by path, plus the warnings of the capability
 * matrix. Pure: the same model and options give the same bytes on every machine.
 */
import { SpecError } from '../errors.js';
import type { Problem } from '../model/problem.js';
import { pointerOf } from '../model/problem.js';
import type { ServiceModel, SpecModel } from '../model/types.js';
import { targetNamed } from '../targets/index.js';
import { capabilityGaps } from './capabilities.js';
import { builtinTemplates, type TemplateSet } from './engine.js';
import { EscapeError } from './escape.js';
import { secretPlacementProblems } from './trust.js';
import type { DesiredEntry, Rendered, ServiceHandle, TargetName } from './types.js';

export interface RenderOptions {
  readonly target: TargetName;
  /** where the target puts files, for targets with layouts (runit: artix, void, debian); default: its first */
  readonly layout?: string | undefined;
  /** only these services (default: all) */
  readonly services?: readonly string[] | undefined;
  readonly templates?: TemplateSet | undefined;
  /** warnings become errors */
  readonly strict?: boolean | undefined;
}

export function selectServices(model: SpecModel, names: readonly string[] | undefined): ServiceModel[] {
  if (!names || names.length === 0) return [...model.services];
  const known = new Map(model.services.map((s) => [s.name, s]));
  const unknown = names.filter((n) => !known.has(n));
  if (unknown.length > 0) {
    throw new SpecError(
      unknown.map((name) => ({
        severity: 'error' as const,
        file: model.specName,
        pointer: pointerOf(['services', name]),
        message: `no service "${name}" in the spec; it has: ${[...known.keys()].join(', ')}`,
      })),
    );
  }
  return [...new Set(names)].sort().map((n) => known.get(n) as ServiceModel);
}

export function renderSpec(model: SpecModel, options: RenderOptions): Rendered {
  const templates = options.templates ?? builtinTemplates();
  const target = targetNamed(options.target);
  const layout = target.layouts.length > 0 ? (options.layout ?? target.layouts[0] ?? null) : null;
  const problems: Problem[] = [];
  const entries: DesiredEntry[] = [];
  const services: ServiceHandle[] = [];
  const selected = selectServices(model, options.services);
  problems.push(...secretPlacementProblems(model, selected));
  problems.push(...target.checkSpec(model, new Set(selected.map((s) => s.name))));
  for (const service of selected) {
    for (const gap of capabilityGaps(service, target)) {
      problems.push({
        severity: options.strict ? 'error' : 'warning',
        file: model.specName,
        pointer: pointerOf(['services', service.name, ...gap.key.split('.')]),
        message: `${gap.key}: ${options.target} ${gap.support === 'none' ? 'cannot express this' : 'only approximates this'}: ${gap.how}`,
      });
    }
    problems.push(...target.notes(service, Boolean(options.strict), model.specName));
    let rendered: ReturnType<typeof target.render>;
    try {
      rendered = target.render(service, model, layout, templates, problems);
    } catch (error) {
      // Validation refuses what no format can hold; this catches what only one target's format cannot.
      if (!(error instanceof EscapeError)) throw error;
      problems.push({ severity: 'error', file: model.specName, pointer: pointerOf(['services', service.name]), message: `${options.target}: ${error.message}` });
      continue;
    }
    entries.push(...rendered.entries);
    services.push(rendered.handle);
  }
  problems.push(...pathCollisions(entries, model.specName));
  const errors = problems.filter((p) => p.severity === 'error');
  if (errors.length > 0) throw new SpecError(errors);
  entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return {
    target: options.target,
    layout,
    entries,
    services,
    warnings: problems.filter((p) => p.severity === 'warning'),
  };
}

/** Two services may not produce the same file, e.g. "x" with a failure hook and a service named "x-failure". */
function pathCollisions(entries: readonly DesiredEntry[], specName: string): Problem[] {
  const owner = new Map<string, string>();
  const problems: Problem[] = [];
  for (const entry of entries) {
    const first = owner.get(entry.path);
    if (first !== undefined && first !== entry.service) {
      problems.push({
        severity: 'error',
        file: specName,
        pointer: pointerOf(['services', entry.service]),
        message: `services "${first}" and "${entry.service}" would both write ${entry.path}; rename one`,
      });
    }
    owner.set(entry.path, entry.service);
  }
  return problems;
}

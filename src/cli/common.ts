/** Small pieces several commands share: loading the spec from the global options, printing warnings. */
import { SpecError, UsageError } from '../errors.js';
import { renderSpec, type RenderOptions } from '../render/render.js';
import type { Rendered } from '../render/types.js';
import { loadSpec, type LoadedSpec } from '../model/load.js';
import { formatProblem, type Problem } from '../model/problem.js';
import { TARGET_LAYOUTS, type TargetName } from '../targets/names.js';
import type { GlobalOptions, Io } from './io.js';

export async function loadFromOptions(options: GlobalOptions, io: Io): Promise<LoadedSpec> {
  const loaded = await loadSpec({ spec: options.spec, cwd: io.cwd, allowCode: options.allowCodeConfig });
  return options.variant === undefined ? loaded : withVariant(loaded, options.variant);
}

/** --variant NAME: the services as that variant of the spec has them. */
function withVariant(loaded: LoadedSpec, name: string): LoadedSpec {
  const services = loaded.model.variants?.[name];
  if (!services) {
    const known = Object.keys(loaded.model.variants ?? {});
    throw new UsageError(`--variant ${name}: ${loaded.displayPath} has ${known.length > 0 ? `the variants ${known.join(', ')}` : 'no variants: (add it there, or leave out --variant)'}`);
  }
  return { ...loaded, model: { ...loaded.model, services } };
}

/** Warnings name the spec file the user knows (the renderer only knows its base name). */
export function printWarnings(warnings: readonly Problem[], spec: LoadedSpec, io: Io): void {
  for (const warning of locateProblems(warnings, spec)) io.stderr.write(formatProblem(warning) + '\n');
}

/** --layout, which only targets with layouts take, and only theirs. */
export function layoutOf(options: { readonly layout?: string | undefined }, target: TargetName): string | undefined {
  const { layout } = options;
  if (layout === undefined) return undefined;
  const layouts = TARGET_LAYOUTS[target];
  if (layouts.length === 0) throw new UsageError(`--layout does not apply to --target ${target}: it has one way only`);
  if (!layouts.includes(layout)) throw new UsageError(`--layout ${layout} is not a ${target} layout; use one of ${layouts.join(', ')}`);
  return layout;
}

export function servicesOf(options: { readonly service?: readonly string[] | undefined }, args: readonly string[] = []): string[] | undefined {
  const names = [...(options.service ?? []), ...args];
  return names.length > 0 ? names : undefined;
}

/** Problems from later stages know only the pointer: give them the file name and position the user sees. */
export function locateProblems(problems: readonly Problem[], spec: LoadedSpec): Problem[] {
  return problems.map((p) => ({ ...p, file: spec.displayPath, position: p.position ?? spec.locate(p.pointer) }));
}

/** renderSpec with its problems and warnings placed in the user's file; warnings are printed. */
export function renderLoaded(spec: LoadedSpec, options: RenderOptions, io: Io): Rendered {
  let rendered: Rendered;
  try {
    rendered = renderSpec(spec.model, options);
  } catch (error) {
    if (error instanceof SpecError) throw new SpecError(locateProblems(error.problems, spec));
    throw error;
  }
  printWarnings(rendered.warnings, spec, io);
  return rendered;
}

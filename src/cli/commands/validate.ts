/** `pvpn-gen validate`: the whole pipeline up to rendering, for every target, writing nothing. */
import { isSpecError, SpecError } from '../../errors.js';
import type { LoadedSpec } from '../../model/load.js';
import type { Problem } from '../../model/problem.js';
import { renderSpec } from '../../render/render.js';
import { TARGET_NAMES } from '../../targets/names.js';
import { loadFromOptions, locateProblems, printWarnings } from '../common.js';
import { validate } from '../commands-table.js';
import { commandModule, type OptionsOf } from '../define.js';
import type { Io } from '../io.js';
import { jsonProblem, writeJson } from '../json.js';

export default commandModule(validate, async (options, io) => {
  let spec: LoadedSpec;
  try {
    spec = await loadFromOptions(options, io);
  } catch (error) {
    // --json: a spec that does not even load is a document too (other errors stay messages on stderr)
    if (!options.json || !isSpecError(error)) throw error;
    return report(io, options.spec ?? error.problems[0]?.file ?? null, [], error.problems);
  }
  const { errors, warnings } = check(spec, options);
  if (options.json) return report(io, spec.displayPath, spec.model.services.map((s) => s.name), [...errors, ...warnings]);
  if (errors.length > 0) throw new SpecError(errors);
  printWarnings(warnings, spec, io);
  const names = spec.model.services.map((s) => s.name);
  io.stdout.write(`${spec.displayPath}: valid, ${names.length} service${names.length === 1 ? '' : 's'}: ${names.join(', ')}\n`);
  return 0;
});

/** Every target's problems (rendering finds what only a target can reject: a calendar snooze cannot express...). */
function check(spec: LoadedSpec, options: OptionsOf<typeof validate>): { errors: Problem[]; warnings: Problem[] } {
  const warnings: Problem[] = [];
  const errors: Problem[] = [];
  for (const target of options.target ? [options.target] : TARGET_NAMES) {
    try {
      warnings.push(...renderSpec(spec.model, { target, strict: options.strict }).warnings);
    } catch (error) {
      if (!(error instanceof SpecError)) throw error;
      errors.push(...error.problems);
    }
  }
  return { errors: locateProblems(errors, spec), warnings: locateProblems(warnings, spec) };
}

function report(io: Io, file: string | null, services: readonly string[], problems: readonly Problem[]): number {
  const errors = problems.filter((p) => p.severity === 'error').length;
  writeJson(io, 'validate', { valid: errors === 0, file, services, problems: problems.map(jsonProblem) });
  if (errors > 0) io.stderr.write(`pvpn-gen: ${errors} problem${errors === 1 ? '' : 's'} in the spec\n`);
  return errors > 0 ? 1 : 0;
}

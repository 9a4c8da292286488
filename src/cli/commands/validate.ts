/** `pvpn-gen validate`: the whole pipeline up to rendering, for every target, writing nothing. */
import { SpecError } from '../../errors.js';
import { renderSpec } from '../../render/render.js';
import { TARGET_NAMES } from '../../targets/names.js';
import type { Problem } from '../../model/problem.js';
import { loadFromOptions, locateProblems, printWarnings } from '../common.js';
import { validate } from '../commands-table.js';
import { commandModule } from '../define.js';

export default commandModule(validate, async (options, io) => {
  const spec = await loadFromOptions(options, io);
  const targets = options.target ? [options.target] : TARGET_NAMES;
  const warnings: Problem[] = [];
  const errors: Problem[] = [];
  for (const target of targets) {
    // rendering finds what only a target can reject (a calendar snooze cannot express, colliding file names)
    try {
      warnings.push(...renderSpec(spec.model, { target, strict: options.strict }).warnings);
    } catch (error) {
      if (!(error instanceof SpecError)) throw error;
      errors.push(...locateProblems(error.problems, spec));
    }
  }
  if (errors.length > 0) throw new SpecError(errors);
  printWarnings(warnings, spec, io);
  const names = spec.model.services.map((s) => s.name);
  io.stdout.write(`${spec.displayPath}: valid, ${names.length} service${names.length === 1 ? '' : 's'}: ${names.join(', ')}\n`);
  return 0;
});

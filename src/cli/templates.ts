/**
 * --templates DIR: the user's own .hbs files (same names as templates/, e.g. DIR/systemd/service.hbs) replace the
 * built-in ones. Only this path loads the Handlebars compiler; the built-ins are compiled to plain functions at build time.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { OperationError } from '../errors.js';
import { TEMPLATE_NAMES, templatesWithOverrides, type TemplateName, type TemplateSet } from '../render/engine.js';
import handlebarsOptions from '../render/handlebars-options.json' with { type: 'json' };

export async function loadTemplateOverrides(dir: string, cwd: string): Promise<TemplateSet> {
  const base = resolve(cwd, dir);
  const overrides: Partial<Record<TemplateName, string>> = {};
  for (const name of TEMPLATE_NAMES) {
    try {
      overrides[name] = readFileSync(`${base}/${name}.hbs`, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  if (Object.keys(overrides).length === 0) {
    throw new OperationError(`${dir}: no templates found (expected e.g. ${dir}/systemd/service.hbs or ${dir}/runit/run.hbs)`);
  }
  const { default: Handlebars } = await import('handlebars');
  try {
    return templatesWithOverrides(Handlebars, overrides, handlebarsOptions);
  } catch (error) {
    throw new OperationError(`${dir}: a template does not compile: ${(error as Error).message}`);
  }
}

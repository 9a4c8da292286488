/**
 * `pvpn-gen completion SHELL`: prints the completion script (never edits an rc file). `--list services|keys` is what
 * the scripts call back for the names in the user's spec: read without validating it, so a spec being edited still
 * completes, and quiet when there is none.
 */
import { readFileSync } from 'node:fs';
import schemaJson from '../../../schema/pvpn-gen.schema.json' with { type: 'json' };
import { UsageError } from '../../errors.js';
import { findSpecFile } from '../../model/load.js';
import { formatOf, parseSpecSource } from '../../model/source.js';
import { COMMANDS, completion } from '../commands-table.js';
import { completionScript, SHELLS, type Shell } from '../completion/index.js';
import { commandModule, type OptionsOf } from '../define.js';

export default commandModule(completion, async (options, io, args) => {
  if (options.list) {
    const names = await serviceNames(options, io.cwd);
    const lines = options.list === 'services' ? names : settableKeys(names);
    if (lines.length > 0) io.stdout.write(lines.join('\n') + '\n');
    return 0;
  }
  const shell = args[0];
  if (!shell || !(SHELLS as readonly string[]).includes(shell)) {
    throw new UsageError(`completion needs a shell: ${SHELLS.join(', ')} (${shell ? `not ${shell}` : 'pvpn-gen completion bash'})`);
  }
  io.stdout.write(completionScript(shell as Shell, COMMANDS));
  return 0;
});

/** The services of the spec this command line names, or none when there is no spec or it does not parse. */
async function serviceNames(options: OptionsOf<typeof completion>, cwd: string): Promise<string[]> {
  try {
    const file = await findSpecFile({ spec: options.spec, cwd, allowCode: false });
    const source = parseSpecSource(readFileSync(file.path, 'utf8'), file.displayPath, { format: formatOf(file.path), basePath: file.basePath });
    const services = (source.data as { services?: unknown }).services;
    return services && typeof services === 'object' && !Array.isArray(services) ? Object.keys(services) : [];
  } catch {
    return [];
  }
}

type SchemaObject = { properties?: Record<string, SchemaObject | boolean> };

/** What `set` takes: SERVICE.FIELD (and FIELD.SUB where the schema lists the sub-fields), defaults.FIELD, project. */
function settableKeys(services: readonly string[]): string[] {
  const fields = (schemaJson as unknown as { $defs: { serviceFields: SchemaObject } }).$defs.serviceFields.properties ?? {};
  const paths = Object.entries(fields).flatMap(([name, sub]) => [
    name,
    ...Object.keys((typeof sub === 'object' && sub.properties) || {}).map((inner) => `${name}.${inner}`),
  ]);
  const defaults = paths.filter((p) => p !== 'command' && p !== 'description');
  return ['project', ...defaults.map((p) => `defaults.${p}`), ...services.flatMap((s) => paths.map((p) => `${s}.${p}`))];
}

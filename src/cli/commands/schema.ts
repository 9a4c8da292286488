/** `pvpn-gen schema`: the JSON Schema, for editors (`# yaml-language-server: $schema=...`) and CI. */
import schema from '../../../schema/pvpn-gen.schema.json' with { type: 'json' };
import type { Io } from '../io.js';

export async function run(_options: unknown, io: Io): Promise<number> {
  io.stdout.write(JSON.stringify(schema, null, 2) + '\n');
  return 0;
}

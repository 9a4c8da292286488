/** `pvpn-gen schema`: the JSON Schema, for editors (`# yaml-language-server: $schema=...`) and CI. */
import schemaJson from '../../../schema/pvpn-gen.schema.json' with { type: 'json' };
import { schema } from '../commands-table.js';
import { commandModule } from '../define.js';

export default commandModule(schema, async (_options, io) => {
  io.stdout.write(JSON.stringify(schemaJson, null, 2) + '\n');
  return 0;
});

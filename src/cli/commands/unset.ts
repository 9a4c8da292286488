/** `pvpn-gen unset KEY`: one setting removed from the spec file, which then uses its default (spec-file-edit.ts). */
import { unset } from '../commands-table.js';
import { commandModule } from '../define.js';
import { editSpecFile } from '../spec-file-edit.js';

export default commandModule(unset, async (options, io, args) => editSpecFile(options, io, args[0] as string, undefined));

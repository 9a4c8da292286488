/** `pvpn-gen set KEY VALUE`: one setting of the spec file changed in place (spec-file-edit.ts). */
import { parseValue } from '../../model/edit.js';
import { set } from '../commands-table.js';
import { commandModule } from '../define.js';
import { editSpecFile } from '../spec-file-edit.js';

export default commandModule(set, async (options, io, args) => editSpecFile(options, io, args[0] as string, parseValue(args[1] as string)));

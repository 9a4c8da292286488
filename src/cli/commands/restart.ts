/** `pvpn-gen restart [NAME...]` (control.ts). */
import { restart } from '../commands-table.js';
import { runVerb } from '../control.js';
import { commandModule } from '../define.js';

export default commandModule(restart, runVerb('restart'));

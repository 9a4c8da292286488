/** `pvpn-gen run-now [NAME...]` (control.ts). */
import { runNow } from '../commands-table.js';
import { runVerb } from '../control.js';
import { commandModule } from '../define.js';

export default commandModule(runNow, runVerb('run-now'));

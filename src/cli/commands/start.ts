/** `pvpn-gen start [NAME...]` (control.ts). */
import { start } from '../commands-table.js';
import { runVerb } from '../control.js';
import { commandModule } from '../define.js';

export default commandModule(start, runVerb('start'));

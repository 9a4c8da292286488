/** `pvpn-gen stop [NAME...]` (control.ts). */
import { stop } from '../commands-table.js';
import { runVerb } from '../control.js';
import { commandModule } from '../define.js';

export default commandModule(stop, runVerb('stop'));

/** What a target's status query may read of the live machine (StatusPort), through the System. */
import type { StatusPort } from '../targets/target.js';
import { realSystem } from './port.js';

export const liveStatusPort: StatusPort = {
  run: (file, args) => realSystem.run(file, args, { query: true }),
  read: (path) => realSystem.read(path)?.toString('utf8') ?? null,
  exists: (path) => realSystem.info(path) !== null,
};

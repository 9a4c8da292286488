/** What a target's status query may read of the live machine (StatusPort): programs, files, whether paths exist. */
import { existsSync, readFileSync } from 'node:fs';
import type { StatusPort } from '../targets/target.js';
import { runProcess } from './exec.js';

export const liveStatusPort: StatusPort = {
  run: (file, args) => runProcess(file, args),
  read(path) {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return null;
    }
  },
  exists: (path) => existsSync(path),
};

/** `pvpn-gen init`: a commented starter spec with the $schema line editors use. Never replaces a file unasked. */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { atomicWriteFile } from '../../system/atomic.js';
import { realWritePort } from '../../system/fs-write.js';
import { realReader } from '../../system/reader.js';
import { OperationError } from '../../errors.js';
import { init } from '../commands-table.js';
import { commandModule } from '../define.js';
import { STARTER_SPEC } from '../starter-spec.js';

export default commandModule(init, async (options, io) => {
  const file = options.spec ?? 'pvpn-gen.yaml';
  const path = resolve(io.cwd, file);
  if (existsSync(path) && !options.force) {
    throw new OperationError(`${file} already exists; use --force to replace it`);
  }
  atomicWriteFile({ ...realWritePort, ...realReader }, path, STARTER_SPEC, 0o644);
  io.stdout.write(`wrote ${file}; edit it, then run: pvpn-gen validate && pvpn-gen diff\n`);
  return 0;
});

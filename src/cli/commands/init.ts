/** `pvpn-gen init`: a commented starter spec with the $schema line editors use. Never replaces a file unasked. */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { atomicWriteFile } from '../../system/atomic.js';
import { realWritePort } from '../../system/fs-write.js';
import { realReader } from '../../system/reader.js';
import { OperationError } from '../../errors.js';
import type { GlobalOptions, Io } from '../io.js';
import { STARTER_SPEC } from '../starter-spec.js';

export async function run(options: GlobalOptions & { force?: boolean }, io: Io): Promise<number> {
  const file = options.spec ?? 'pvpn-gen.yaml';
  const path = resolve(io.cwd, file);
  if (existsSync(path) && !options.force) {
    throw new OperationError(`${file} already exists; use --force to replace it`);
  }
  atomicWriteFile({ ...realWritePort, ...realReader }, path, STARTER_SPEC, 0o644);
  io.stdout.write(`wrote ${file}; edit it, then run: pvpn-gen validate && pvpn-gen diff\n`);
  return 0;
}

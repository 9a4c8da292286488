/**
 * What `set` and `unset` share: find the spec file (as every command does, but without requiring it to be valid),
 * apply one edit to its text (model/edit.ts), validate the result as `validate` would, and only then replace the
 * file atomically, keeping its mode and owner. An invalid result writes nothing and its problems point into the
 * edited text, at the value.
 */
import { lstatSync, readFileSync, realpathSync } from 'node:fs';
import { OperationError } from '../errors.js';
import { compileSpecSource } from '../model/compile.js';
import { editSpecText, keyPath, type SpecEdit } from '../model/edit.js';
import { findSpecFile } from '../model/load.js';
import { formatOf } from '../model/source.js';
import { atomicReplaceFile } from '../system/atomic.js';
import { realWritePort } from '../system/fs-write.js';
import { realReader } from '../system/reader.js';
import type { GlobalOptions, Io } from './io.js';

/** How a value is shown in messages: as YAML would read it back. */
const shown = (value: unknown) => (value === undefined ? '(unset)' : typeof value === 'string' ? value : JSON.stringify(value));

export async function editSpecFile(options: GlobalOptions, io: Io, key: string, value: unknown): Promise<number> {
  let path: string[];
  try {
    path = keyPath(key);
  } catch (error) {
    throw new OperationError((error as Error).message);
  }
  const file = await findSpecFile({ spec: options.spec, cwd: io.cwd, allowCode: options.allowCodeConfig });
  if (/\.(c|m)?js$/.test(file.path)) throw new OperationError(`${file.displayPath} is JavaScript; set and unset edit YAML and JSON specs only`);
  // a spec reached through a symbolic link is edited where it lives; the link stays
  let real: string;
  let text: string;
  try {
    real = realpathSync(file.path);
    text = readFileSync(real, 'utf8');
  } catch (error) {
    throw new OperationError(`${file.displayPath}: cannot read: ${(error as Error).message}`);
  }
  const format = formatOf(file.path);
  const edit: SpecEdit = value === undefined ? { path } : { path, value };
  let result: ReturnType<typeof editSpecText>;
  try {
    result = editSpecText(text, format, file.basePath, edit);
  } catch (error) {
    throw new OperationError(`${file.displayPath}: ${(error as Error).message}; nothing was written`);
  }
  if (result.text === text) {
    io.stderr.write(`${file.displayPath}: ${key} is already ${shown(value)}; nothing changed\n`);
    return 0;
  }
  // the same checks every command makes on load (schema, then the model's own rules); throws SpecError
  compileSpecSource(result.text, file.displayPath, { format, basePath: file.basePath });
  const stat = lstatSync(real);
  atomicReplaceFile({ ...realWritePort, ...realReader }, real, result.text, { mode: stat.mode & 0o7777, uid: stat.uid, gid: stat.gid });
  io.stdout.write(`${file.displayPath}: ${key}: ${shown(result.previous)} -> ${shown(value)}\n`);
  io.stderr.write('next: pvpn-gen diff (what install would change), then pvpn-gen install\n');
  return 0;
}

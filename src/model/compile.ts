/**
 * The pure front half of the pipeline: spec text -> validated, normalised model. No file system here: the caller
 * reads the file (see load.ts) and passes its text, so the same function serves the CLI, the API and the tests.
 */
import { SpecError } from '../errors.js';
import { normaliseSpec } from './normalise.js';
import { sortProblems } from './problem.js';
import { parseSpecSource, type ParseOptions, type SpecSource } from './source.js';
import type { SpecDocument, SpecModel } from './types.js';
import { schemaProblems } from './validate.js';

export interface CompileOptions extends ParseOptions {
  /** The file name shown in generated headers; defaults to the last part of `file`. */
  readonly specName?: string;
}

export function compileSpec(text: string, file: string, options: CompileOptions = {}): SpecModel {
  return compileSpecSource(text, file, options).model;
}

/** Also returns the parsed source, whose `locate` places later warnings at their line and column. */
export function compileSpecSource(text: string, file: string, options: CompileOptions = {}): { model: SpecModel; source: SpecSource } {
  const source = parseSpecSource(text, file, options);
  const problems = schemaProblems(source);
  if (problems.length > 0) throw new SpecError(sortProblems(problems));
  return { model: normaliseSpec(source.data as SpecDocument, source, options.specName ?? baseName(file)), source };
}

/** Path-free name, so that a checkout in /home/a and one in /srv/b render byte-identical files. */
function baseName(file: string): string {
  return file.slice(file.lastIndexOf('/') + 1);
}

/**
 * The --json documents: one JSON document on stdout per run, each with `schemaVersion` (raised only when a field
 * changes meaning or goes away; new fields may appear in the same version) and `command`. Messages and warnings
 * still go to stderr, and nothing is coloured. The README ("Machine-readable output") shows each shape.
 */
import { isPvpnGenError, isSpecError } from '../errors.js';
import type { Problem } from '../model/problem.js';
import type { Rendered } from '../render/types.js';
import type { Io } from './io.js';

export const JSON_SCHEMA_VERSION = 1;

export function writeJson(io: Io, command: string, body: Record<string, unknown>): void {
  io.stdout.write(JSON.stringify({ schemaVersion: JSON_SCHEMA_VERSION, command, ...body }, null, 2) + '\n');
}

export interface JsonProblem {
  readonly severity: Problem['severity'];
  readonly file: string;
  /** 1-based, null when the problem has no place in the file */
  readonly line: number | null;
  readonly column: number | null;
  /** RFC 6901 JSON pointer into the spec, '' for the whole document */
  readonly pointer: string;
  readonly message: string;
}

export function jsonProblem(p: Problem): JsonProblem {
  return { severity: p.severity, file: p.file, line: p.position?.line ?? null, column: p.position?.column ?? null, pointer: p.pointer, message: p.message };
}

/** File modes as people write them: "0644". */
export const octal = (mode: number) => (mode & 0o7777).toString(8).padStart(4, '0');

/** `warnings`: the rendered warnings, placed in the user's file (locateProblems). */
export function renderDocument(rendered: Rendered, warnings: readonly Problem[]): Record<string, unknown> {
  const files = rendered.entries.flatMap((e) => (e.kind === 'file' ? [{ path: e.path, mode: octal(e.mode), service: e.service, content: e.content }] : []));
  const links = rendered.entries.flatMap((e) => (e.kind === 'symlink' ? [{ path: e.path, target: e.target, service: e.service }] : []));
  return { target: rendered.target, layout: rendered.layout, files, links, warnings: warnings.map(jsonProblem) };
}

/** What a failed run with --json prints: the message (also on stderr) and the spec's problems, if it was those. */
export function errorDocument(error: unknown, exitCode: number): Record<string, unknown> {
  const message = isPvpnGenError(error) ? error.message : `internal error: ${(error as Error)?.message ?? String(error)}`;
  return { error: { message, exitCode }, problems: isSpecError(error) ? error.problems.map(jsonProblem) : [] };
}

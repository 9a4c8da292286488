/** A problem found in a spec, located as precisely as the source allows. */
export interface SourcePosition {
  /** 1-based */
  readonly line: number;
  /** 1-based */
  readonly column: number;
}

export type Severity = 'error' | 'warning';

export interface Problem {
  readonly severity: Severity;
  /** The spec file as the user named it (or as it was found). */
  readonly file: string;
  readonly position?: SourcePosition | undefined;
  /** RFC 6901 JSON pointer into the spec, '' for the whole document. */
  readonly pointer: string;
  readonly message: string;
}

/** `FILE:LINE:COL: error: /json/pointer: message`, the shape compilers use, so editors can jump to it. */
export function formatProblem(problem: Problem): string {
  const where = problem.position ? `${problem.file}:${problem.position.line}:${problem.position.column}` : problem.file;
  const pointer = problem.pointer === '' ? '(document)' : problem.pointer;
  return `${where}: ${problem.severity}: ${pointer}: ${problem.message}`;
}

function escapePointerSegment(segment: string): string {
  return segment.replaceAll('~', '~0').replaceAll('/', '~1');
}

export function pointerOf(segments: readonly (string | number)[]): string {
  return segments.map((s) => '/' + escapePointerSegment(String(s))).join('');
}

export function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'));
}

/** Stable order: by file position, then pointer, so output is the same on every run. */
export function sortProblems(problems: readonly Problem[]): Problem[] {
  return [...problems].sort(
    (a, b) =>
      (a.position?.line ?? 0) - (b.position?.line ?? 0) ||
      (a.position?.column ?? 0) - (b.position?.column ?? 0) ||
      (a.pointer < b.pointer ? -1 : a.pointer > b.pointer ? 1 : 0) ||
      (a.message < b.message ? -1 : a.message > b.message ? 1 : 0),
  );
}

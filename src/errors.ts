/**
 * Typed errors, each with the exit code the CLI maps it to (see README "Exit codes").
 * Everything thrown on purpose is a PvpnGenError; anything else is a bug and is shown with its stack.
 */
import type { Problem } from './model/problem.js';

/**
 * Errors cross bundle boundaries (each command is its own bundle, with its own copy of these classes), so they are
 * recognised by a brand in the global symbol registry rather than by instanceof.
 */
const BRAND = Symbol.for('pvpn-gen.error');

export abstract class PvpnGenError extends Error {
  abstract readonly exitCode: number;
  readonly [BRAND] = true;
}

export function isPvpnGenError(error: unknown): error is PvpnGenError {
  return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[BRAND] === true;
}

export function isSpecError(error: unknown): error is SpecError {
  return isPvpnGenError(error) && error.name === 'SpecError';
}

/** Wrong command line: unknown option, missing argument, conflicting flags. */
export class UsageError extends PvpnGenError {
  readonly exitCode = 2;
  override readonly name = 'UsageError';
}

/** The spec (or the installed state it is compared with) is not acceptable; carries every problem found. */
export class SpecError extends PvpnGenError {
  readonly exitCode = 1;
  override readonly name = 'SpecError';
  constructor(readonly problems: readonly Problem[]) {
    super(`${problems.length} problem${problems.length === 1 ? '' : 's'} in the spec`);
  }
}

/** An operation that could not be carried out (a foreign file in the way, a tool missing, a failed command). */
export class OperationError extends PvpnGenError {
  readonly exitCode = 1;
  override readonly name = 'OperationError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Another pvpn-gen run holds the lock; retrying later is the fix. Exit 75 is EX_TEMPFAIL of sysexits.h. */
export class LockedError extends PvpnGenError {
  readonly exitCode = 75;
  override readonly name = 'LockedError';
}

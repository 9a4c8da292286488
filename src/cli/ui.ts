/** Terminal presentation: colour for diffs, the yes/no prompt, and which listr2 renderer fits the environment. */
import type { Site } from '../system/session.js';
import { formatPlan } from '../plan/format-diff.js';
import type { Plan } from '../plan/types.js';
import type { Io } from './io.js';

export function useColour(io: Io): boolean {
  return Boolean(io.stdout.isTTY) && io.env.NO_COLOR === undefined && io.env.TERM !== 'dumb';
}

const COLOURS: ReadonlyArray<readonly [RegExp, string]> = [
  [/^(\+\+\+|---) /, '1'],
  [/^\+/, '32'],
  [/^-/, '31'],
  [/^@@/, '36'],
  [/^(diff |new file|deleted file|old mode|new mode)/, '1'],
  [/^(conflicts:|  \/.*: )/, '33'],
];

export function colourDiff(text: string): string {
  return text
    .split('\n')
    .map((line) => {
      const match = COLOURS.find(([pattern]) => pattern.test(line));
      return match ? `\u001b[${match[1]}m${line}\u001b[0m` : line;
    })
    .join('\n');
}

/** listr2: nothing in tests, plain lines in CI or when not a terminal, the live task list otherwise. */
export function rendererFor(io: Io): 'silent' | 'simple' | 'default' {
  if (io.env.VITEST || io.env.PVPN_GEN_RENDERER === 'silent') return 'silent';
  if (!io.stdout.isTTY || io.env.CI) return 'simple';
  return 'default';
}

export async function confirm(io: Io, question: string): Promise<boolean> {
  const { createInterface } = await import('node:readline/promises');
  // readline needs real streams; the question goes to the terminal's stderr
  const rl = createInterface({ input: io.stdin ?? process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(`${question} [y/N] `);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}

/** The plan as a diff on stdout, coloured on a terminal. */
export function showPlan(site: Site, io: Io, context: { readonly plan: Plan }): void {
  const text = formatPlan(context.plan, site.live ? {} : { actionsNote: 'not run with --root' });
  io.stdout.write(useColour(io) ? colourDiff(text) : text);
}

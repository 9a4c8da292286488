/**
 * Which init system runs here: the facts are read once (readFacts, the I/O: which of the targets' paths exist, which
 * programs run), each target decides from them (a pure function, so every rule is tested with plain data), and the
 * first target in the table that recognises the machine wins; `pvpn-gen detect` shows the reasoning.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { ALL_TARGETS } from '../targets/index.js';
import type { TargetName } from '../targets/names.js';
import type { InitFacts, Target } from '../targets/target.js';

export type { InitFacts };

export type Detection =
  | { readonly ok: true; readonly target: TargetName; readonly layout: string | null; readonly reasons: readonly string[] }
  | { readonly ok: false; readonly reasons: readonly string[] };

export function readFacts(root: string, live: boolean, targets: readonly Target[] = ALL_TARGETS): InitFacts {
  const paths = [...new Set(targets.flatMap((t) => t.detectPaths))];
  const existing = new Set(paths.filter((p) => existsSync(root + p)));
  const processes: string[][] = [];
  if (live) {
    for (const pid of safeReaddir('/proc')) {
      if (/^\d+$/.test(pid)) processes.push(safeRead(`/proc/${pid}/cmdline`).split('\0').filter(Boolean));
    }
  }
  return { existing, processes, live };
}

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function safeRead(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/** The first target that finds itself, with every target's reasons up to it. */
export function decide(facts: InitFacts, targets: readonly Target[] = ALL_TARGETS): Detection {
  const reasons: string[] = [];
  for (const target of targets) {
    const verdict = target.detect(facts);
    reasons.push(...verdict.reasons);
    if (verdict.found) return { ok: true, target: target.name as TargetName, layout: verdict.layout, reasons };
  }
  return { ok: false, reasons };
}

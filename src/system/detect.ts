/**
 * Which init system runs here: the facts are read once (readFacts, the I/O: which of the targets' paths exist, which
 * programs run), each target decides from them (a pure function, so every rule is tested with plain data), and the
 * first target in the table that recognises the machine wins; `pvpn-gen detect` shows the reasoning.
 */
import { ALL_TARGETS } from '../targets/index.js';
import type { TargetName } from '../targets/names.js';
import type { InitFacts, Target } from '../targets/target.js';
import type { Reader } from './port.js';

export type { InitFacts };

export type Detection =
  | { readonly ok: true; readonly target: TargetName; readonly layout: string | null; readonly reasons: readonly string[] }
  | { readonly ok: false; readonly reasons: readonly string[] };

export function readFacts(reader: Reader, root: string, live: boolean, targets: readonly Target[] = ALL_TARGETS): InitFacts {
  const paths = [...new Set(targets.flatMap((t) => t.detectPaths))];
  // exists as the targets mean it: what a path leads to (Void's /var/service is a link to the current runsvdir)
  const existing = new Set(paths.filter((p) => reader.info(root + p) !== null));
  const processes: string[][] = [];
  if (live) {
    for (const pid of reader.list('/proc') ?? []) {
      if (!/^\d+$/.test(pid)) continue;
      try {
        processes.push((reader.read(`/proc/${pid}/cmdline`)?.toString('utf8') ?? '').split('\0').filter(Boolean));
      } catch {
        // the process ended while we looked
      }
    }
  }
  return { existing, processes, live };
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

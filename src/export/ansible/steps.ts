/**
 * A target's actions as commands the role runs with `ansible.builtin.command` (argv, never a shell line built from
 * values): an exec as it is, a wait as a small fixed sh loop that takes its paths as arguments. And one order for
 * all of them, so that whatever subset a host needs runs in the order install would run it.
 */
import type { Action } from '../../targets/target.js';

export interface Step {
  readonly id: number;
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  /** a wait changes nothing (Ansible reports it as ok) */
  readonly wait: boolean;
  readonly describe: string;
}

type Unnumbered = Omit<Step, 'id'>;

// up to 15 s, as install waits (run-actions.ts), checking every 0.1 s
const WAIT_PATHS = 'i=0; while [ "$i" -lt 150 ]; do ok=1; for p; do [ -e "$p" ] || ok=; done; [ -n "$ok" ] && exit 0; sleep 0.1; i=$((i + 1)); done; echo "not there after 15 s: $*" >&2; exit 1';
const WAIT_GONE =
  'i=0; while [ "$i" -lt 150 ]; do left=; for d in /proc/[0-9]*; do [ "$(cat "$d/comm" 2>/dev/null)" = "$1" ] && [ "$(readlink "$d/cwd" 2>/dev/null)" = "$2" ] && left=1; done; [ -z "$left" ] && exit 0; sleep 0.1; i=$((i + 1)); done; echo "$1 still runs in $2 after 15 s" >&2; exit 1';

/** The command for an action; null for account actions (the role has its own tasks for accounts). */
export function stepOf(action: Action): Unnumbered | null {
  switch (action.kind) {
    case 'exec':
      return { argv: action.argv, env: action.env ?? {}, wait: false, describe: action.argv.join(' ') };
    case 'wait-paths':
      return { argv: ['/bin/sh', '-c', WAIT_PATHS, 'pvpn-gen-wait', ...action.paths], env: {}, wait: true, describe: action.describe };
    case 'wait-gone':
      return { argv: ['/bin/sh', '-c', WAIT_GONE, 'pvpn-gen-wait', action.program, action.cwd], env: {}, wait: true, describe: action.describe };
    default:
      return null;
  }
}

export const stepKey = (s: Unnumbered): string => JSON.stringify([s.argv, s.env]);

/**
 * One table of distinct steps, ordered so that each sequence keeps its order (a daemon-reload before any
 * restart, a wait before `sv restart`): a topological order of "comes before in some sequence", ties by first
 * appearance. Should two sequences disagree (none do), the rest follow in order of appearance.
 */
export function orderedSteps(sequences: readonly (readonly Unnumbered[])[]): Step[] {
  const byKey = new Map<string, Unnumbered>();
  const after = new Map<string, Set<string>>();
  const before = new Map<string, number>();
  for (const sequence of sequences) {
    const keys = sequence.map((s) => {
      const key = stepKey(s);
      if (!byKey.has(key)) byKey.set(key, s);
      return key;
    });
    for (let i = 1; i < keys.length; i++) {
      const [a, b] = [keys[i - 1] as string, keys[i] as string];
      if (a === b || after.get(a)?.has(b)) continue;
      after.set(a, (after.get(a) ?? new Set()).add(b));
      before.set(b, (before.get(b) ?? 0) + 1);
    }
  }
  const order: string[] = [];
  const pending = [...byKey.keys()];
  while (pending.length > 0) {
    const ready = pending.findIndex((k) => (before.get(k) ?? 0) === 0);
    const [key] = pending.splice(Math.max(ready, 0), 1) as [string];
    order.push(key);
    for (const next of after.get(key) ?? []) before.set(next, (before.get(next) ?? 1) - 1);
  }
  return order.map((key, id) => ({ id, ...(byKey.get(key) as Unnumbered) }));
}

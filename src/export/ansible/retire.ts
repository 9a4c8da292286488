/**
 * How the role removes a service the spec no longer has. The export cannot render it (it is gone), but the host's
 * manifest records its handle, and a target's removal depends on nothing else. So the target's own `actions` and
 * `leftovers` are asked once, for a handle whose values are placeholders: `<serviceDir>` for a text, `<units...>`
 * for a list. The role fills them in from each recorded handle (filter_plugins/pvpn_gen.py, the same rules as
 * `fillStep` here, which the tests hold against the target's own commands). Pure.
 */
import type { ServiceHandle } from '../../render/types.js';
import type { Target } from '../../targets/target.js';
import { stepOf, type Step } from './steps.js';

type Unnumbered = Omit<Step, 'id'>;

export interface RemovalRecipe {
  /** the handle's fields the placeholders name */
  readonly fields: readonly string[];
  /** before the files go (stop it) */
  readonly stop: readonly Unnumbered[];
  /** after the files went (wait for the supervisor to let go, reload) */
  readonly removed: readonly Unnumbered[];
  /** what the supervisor and the scripts leave behind it */
  readonly leftovers: readonly string[];
}

/** Periodic jobs and daemons may differ, so one recipe each. */
export interface RemovalRecipes {
  readonly daemon: RemovalRecipe;
  readonly periodic: RemovalRecipe;
}

const OWN = new Set(['target', 'periodic', 'accounts']);

/** `sample` gives the handle's shape (its fields) and `samplePaths` a removed service's paths (reload or not). */
export function removalRecipes(target: Target, sample: ServiceHandle, samplePaths: ReadonlySet<string>): RemovalRecipes {
  const fields = Object.keys(sample).filter((k) => !OWN.has(k) && (typeof sample[k] === 'string' || Array.isArray(sample[k])));
  const recipe = (periodic: boolean): RemovalRecipe => {
    const placeholders = Object.fromEntries(fields.map((k) => [k, Array.isArray(sample[k]) ? [`<${k}...>`] : `<${k}>`]));
    const handle = { ...sample, ...placeholders, periodic } as ServiceHandle;
    const { before, after } = target.actions({ added: [], removed: [handle], changed: [], changedPaths: samplePaths });
    const steps = (actions: typeof before) => actions.flatMap((a) => stepOf(a) ?? []);
    return { fields, stop: steps(before), removed: steps(after), leftovers: [...target.leftovers(handle)] };
  };
  return { daemon: recipe(false), periodic: recipe(true) };
}

/** One text with the handle's values in place of the placeholders. */
export function fillText(text: string, fields: readonly string[], handle: ServiceHandle): string {
  let out = text;
  for (const k of fields) {
    const value = handle[k];
    if (typeof value === 'string') out = out.split(`<${k}>`).join(value);
  }
  return out;
}

/** A list placeholder alone in an argument spreads the list, less what the command already names. */
export function fillStep(step: Unnumbered, fields: readonly string[], handle: ServiceHandle): Unnumbered {
  const argv: string[] = [];
  for (const arg of step.argv) {
    const list = /^<(\w+)\.\.\.>$/.exec(arg)?.[1];
    const values = list === undefined ? undefined : handle[list];
    if (Array.isArray(values)) argv.push(...values.map(String).filter((v) => !argv.includes(v)));
    else argv.push(fillText(arg, fields, handle));
  }
  const env = Object.fromEntries(Object.entries(step.env).map(([k, v]) => [k, fillText(v, fields, handle)]));
  // an exec's description is its command line
  const describe = step.describe === step.argv.join(' ') ? argv.join(' ') : fillText(step.describe, fields, handle);
  return { argv, env, wait: step.wait, describe };
}

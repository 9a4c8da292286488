/**
 * Removing a service the spec dropped: the export has only the target's commands with placeholders, the host's
 * manifest has the handle. Filled in from every handle of every tree (daemons and periodic jobs), they must be the
 * commands and leftovers the target itself gives for that handle. The role's own filling (filter_plugins/pvpn_gen.py)
 * is held to the same cases in ansible-lint.test.ts, where Ansible's Python is required.
 */
import { describe, expect, test } from 'vitest';
import { fillStep, fillText } from '../../src/export/ansible/retire.js';
import { removalCases } from './removal-cases.js';

describe('the removal recipe of each tree, filled in from a recorded handle', () => {
  const cases = removalCases();

  test('covers every target, daemons and periodic jobs', () => {
    expect(new Set(cases.map((c) => c.tree.target))).toEqual(new Set(['systemd', 'runit', 'openrc', 'dinit', 's6']));
    expect(new Set(cases.map((c) => c.handle.periodic))).toEqual(new Set([true, false]));
  });

  test.each(cases.map((c) => [`${c.tree.name} ${c.handle.name}`, c] as const))('%s: the target\'s own commands and leftovers', (_name, c) => {
    const recipe = c.handle.periodic ? c.tree.retire.periodic : c.tree.retire.daemon;
    const fill = (steps: typeof recipe.stop) => steps.map((s) => fillStep(s, recipe.fields, c.handle));
    expect({ stop: fill(recipe.stop), removed: fill(recipe.removed), leftovers: recipe.leftovers.map((p) => fillText(p, recipe.fields, c.handle)) }).toEqual(c.expected);
    // a placeholder is never left in what the role runs
    expect(JSON.stringify(fill([...recipe.stop, ...recipe.removed]))).not.toMatch(/<\w+(\.\.\.)?>/);
  });
});

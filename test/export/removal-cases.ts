/** The cases of the removal recipes: ansible-retire.test.ts (the TypeScript filling), ansible-lint.test.ts (the role's). */
import { readFileSync } from 'node:fs';
import { ansibleExport } from '../../src/export/ansible/role.js';
import { stepOf } from '../../src/export/ansible/steps.js';
import type { TreeData } from '../../src/export/ansible/tree.js';
import { compileSpec } from '../../src/model/compile.js';
import { targetNamed } from '../../src/targets/index.js';
import type { TargetName } from '../../src/targets/names.js';
import { FIXTURES } from '../support/paths.js';

/** Every tree of multi-service.yaml (daemons and periodic jobs), each recorded handle with what its target says. */
export function removalCases(): Array<{ tree: TreeData; handle: TreeData['record']['services'][number]; expected: { stop: unknown[]; removed: unknown[]; leftovers: string[] } }> {
  const text = readFileSync(`${FIXTURES}/multi-service.yaml`, 'utf8');
  const exported = ansibleExport(compileSpec(text, 'multi-service.yaml'), { spec: { path: 'multi-service.yaml', sha256: '0'.repeat(64) }, tool: 'pvpn-gen test' });
  const trees = exported.trees.map((name) => JSON.parse(exported.files.find((f) => f.path.endsWith(`/trees/${name}.json`))?.content ?? 'null') as TreeData);
  return trees.flatMap((tree) => {
    const target = targetNamed(tree.target as TargetName);
    return tree.record.services.map((handle) => {
      const paths = new Set(tree.record.entries.filter((e) => e.service === handle.name).map((e) => e.path));
      const { before, after } = target.actions({ added: [], removed: [handle], changed: [], changedPaths: paths });
      const steps = (actions: typeof before) => actions.flatMap((a) => stepOf(a) ?? []);
      return { tree, handle, expected: { stop: steps(before), removed: steps(after), leftovers: [...target.leftovers(handle)] } };
    });
  });
}

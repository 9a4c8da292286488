/**
 * `pvpn-gen export ansible`: the spec as an Ansible playbook and role, as data (the files and their modes). Every
 * tree the spec renders to (each target, each layout) is in the role, files exactly as rendered; each host gets
 * the one of its init system; each variant of the spec has its own trees under files/variants/NAME/, which a host
 * picks with pvpn_gen_variant. The tasks are fixed files (templates/export/ansible/); everything that depends on
 * the spec is data under the role's files/, read with the file lookup, never templated. Pure.
 */
import { exportFiles } from '../../_generated/export-files.js';
import { SpecError } from '../../errors.js';
import type { Problem } from '../../model/problem.js';
import type { SpecModel } from '../../model/types.js';
import type { TemplateSet } from '../../render/engine.js';
import { renderSpec } from '../../render/render.js';
import { ALL_TARGETS } from '../../targets/index.js';
import type { TargetName } from '../../targets/names.js';
import { treeData, treeName } from './tree.js';

export interface ExportFile {
  /** relative to the output directory */
  readonly path: string;
  readonly content: string;
  readonly mode: number;
}

export interface AnsibleExport {
  readonly role: string;
  readonly files: readonly ExportFile[];
  /** the trees in the role (the spec as written) */
  readonly trees: readonly string[];
  /** each variant's trees */
  readonly variants: Readonly<Record<string, readonly string[]>>;
  /** trees the spec does not render to, and why (a setting a target cannot express, with --strict) */
  readonly skipped: ReadonlyArray<{ readonly tree: string; readonly problems: readonly Problem[] }>;
  readonly warnings: ReadonlyArray<{ readonly tree: string; readonly problem: Problem }>;
}

export interface ExportOptions {
  /** what the manifest records as the spec (its path as given, and its digest) */
  readonly spec: { readonly path: string; readonly sha256: string };
  readonly tool: string;
  readonly strict?: boolean | undefined;
  readonly templates?: TemplateSet | undefined;
}

/** `pvpn_gen_<project>`: a role name Ansible and ansible-lint take ([a-z][a-z0-9_]*). */
export function roleName(project: string): string {
  return `pvpn_gen_${project.toLowerCase().replace(/[^a-z0-9_]/g, '_')}`;
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

export function ansibleExport(model: SpecModel, options: ExportOptions): AnsibleExport {
  const role = roleName(model.project);
  const files: ExportFile[] = [];
  const trees: string[] = [];
  const skipped: Array<{ tree: string; problems: readonly Problem[] }> = [];
  const warnings: Array<{ tree: string; problem: Problem }> = [];
  const variants: Record<string, string[]> = {};
  const roleFiles = `roles/${role}/files`;
  // the spec as written, then each variant: a host picks one with pvpn_gen_variant, and gets exactly its bytes
  for (const variant of [null, ...Object.keys(model.variants ?? {})]) {
    const services = variant === null ? model.services : (model.variants?.[variant] ?? []);
    const folder = variant === null ? '' : `variants/${variant}/`;
    const rendered: string[] = variant === null ? trees : [];
    if (variant !== null) variants[variant] = rendered;
    for (const target of ALL_TARGETS) {
      for (const layout of target.layouts.length > 0 ? target.layouts : [null]) {
        const name = treeName({ target: target.name as TargetName, layout });
        const shown = `${folder.replace(/^variants\//, '')}${name}`;
        let tree: ReturnType<typeof renderSpec>;
        try {
          tree = renderSpec({ ...model, services }, { target: target.name as TargetName, layout: layout ?? undefined, strict: options.strict, templates: options.templates });
        } catch (error) {
          if (!(error instanceof SpecError)) throw error;
          skipped.push({ tree: shown, problems: error.problems });
          continue;
        }
        rendered.push(name);
        warnings.push(...tree.warnings.map((problem) => ({ tree: shown, problem })));
        const data = treeData(tree, { project: model.project, tool: options.tool, spec: options.spec }, `${folder}${name}`);
        files.push({ path: `${roleFiles}/${folder}trees/${name}.json`, content: json(data), mode: 0o644 });
        for (const e of tree.entries) if (e.kind === 'file') files.push({ path: `${roleFiles}/${folder}${name}${e.path}`, content: e.content, mode: e.mode });
      }
    }
  }
  // no tree at all: the spec is wrong for every target; say why as the first one would
  if (trees.length === 0) throw new SpecError(skipped[0]?.problems ?? []);
  const serviceManagers: Record<string, string> = {};
  for (const target of ALL_TARGETS) for (const pid1 of target.pid1Names ?? []) serviceManagers[pid1] ??= target.name;
  const layouts = Object.fromEntries(ALL_TARGETS.map((t) => [t.name, t.layouts]));
  files.push({ path: `${roleFiles}/pvpn-gen.json`, content: json({ project: model.project, trees, variants, serviceManagers, layouts }), mode: 0o644 });
  for (const [path, file] of Object.entries(exportFiles)) {
    if (!path.startsWith('ansible/')) continue;
    const out = path.replace(/^ansible\//, '').replace(/^role\//, `roles/${role}/`);
    files.push({ path: out, content: file.content, mode: file.mode });
  }
  files.push({ path: 'site.yml', content: playbook(model.project, role), mode: 0o644 });
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { role, files, trees, variants, skipped, warnings };
}

/** The playbook: every host of the inventory, the facts that tell its init system, the role. */
function playbook(project: string, role: string): string {
  return [
    '---',
    `# Generated by pvpn-gen export ansible from the spec of project "${project}"; regenerate, do not edit.`,
    '#   ansible-playbook -i INVENTORY site.yml                          install or update every host',
    '#   ansible-playbook -i INVENTORY site.yml -e pvpn_gen_state=absent  remove everything it installed',
    '#   ./check-drift -i INVENTORY                                      0: every host matches, 1: drift, 2: error',
    `- name: Deploy the services of pvpn-gen project ${project}`,
    '  hosts: all',
    '  gather_facts: true',
    '  gather_subset: [min]',
    '  roles:',
    `    - role: ${role}`,
    '',
  ].join('\n');
}

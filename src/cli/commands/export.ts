/**
 * `pvpn-gen export ansible --out DIR`: the spec as an Ansible playbook (site.yml), a drift gate (check-drift) and a
 * role holding the files of every target and layout the spec renders to. Nothing is written unless the spec
 * renders for at least one of them; a target it cannot render for is named, with the first reason.
 */
import { OperationError, UsageError, isPvpnGenError } from '../../errors.js';
import { ansibleExport, type AnsibleExport } from '../../export/ansible/role.js';
import { formatProblem } from '../../model/problem.js';
import { sha256 } from '../../plan/hash.js';
import { VERSION } from '../../version.js';
import { loadFromOptions, locateProblems } from '../common.js';
import { exportCommand } from '../commands-table.js';
import { commandModule } from '../define.js';
import { loadTemplateOverrides } from '../templates.js';

const FORMATS = ['ansible'];

export default commandModule(exportCommand, async (options, io, args) => {
  const [format] = args;
  if (format === undefined || !FORMATS.includes(format)) throw new UsageError(`export writes ${FORMATS.join(', ')}: pvpn-gen export ansible --out DIR`);
  // every variant is in the export, each host picks its own (pvpn_gen_variant)
  if (options.variant !== undefined) throw new UsageError('export writes every variant of the spec; a host picks its own with pvpn_gen_variant: leave out --variant');
  const spec = await loadFromOptions(options, io);
  const templates = options.templates ? await loadTemplateOverrides(options.templates, io.cwd) : undefined;
  let exported: AnsibleExport;
  try {
    // the path as given, not the checkout's absolute path: the same spec exports the same bytes everywhere
    exported = ansibleExport(spec.model, { spec: { path: spec.displayPath, sha256: sha256(spec.text) }, tool: `pvpn-gen ${VERSION}`, strict: options.strict, templates });
  } catch (error) {
    if (!options.templates || isPvpnGenError(error)) throw error;
    throw new OperationError(`a template in ${options.templates} failed: ${(error as Error).message}`);
  }
  // the layouts of one target share most warnings: each once, with the trees it is about
  const warnings = new Map<string, string[]>();
  for (const { tree, problem } of exported.warnings) {
    const text = formatProblem(locateProblems([problem], spec)[0] ?? problem);
    warnings.set(text, [...(warnings.get(text) ?? []), tree]);
  }
  for (const [text, trees] of warnings) io.stderr.write(`${text} (${trees.join(', ')})\n`);
  for (const { tree, problems } of exported.skipped) {
    const first = problems[0] ? formatProblem(locateProblems([problems[0]], spec)[0] ?? problems[0]) : 'it does not render';
    io.stderr.write(`not exported for ${tree}: ${first}\n`);
  }
  const { writeExport } = await import('../../system/export.js');
  const written = writeExport(exported.files, options.out, io.cwd);
  const variants = Object.keys(exported.variants);
  io.stdout.write(
    `wrote ${written} files under ${options.out}: site.yml, check-drift, role ${exported.role} for ${exported.trees.join(', ')}${variants.length > 0 ? `; variants ${variants.join(', ')}` : ''}\n`,
  );
  return 0;
});

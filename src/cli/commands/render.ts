/**
 * `pvpn-gen render --target T`: print every file under a `==> path <==` header, or with --out DIR write each at
 * its install path under DIR, with its mode. Nothing is written unless the whole spec renders.
 */
import type { Rendered } from '../../render/types.js';
import { isPvpnGenError, OperationError } from '../../errors.js';
import { layoutOf, loadFromOptions, locateProblems, renderLoaded, servicesOf } from '../common.js';
import { render } from '../commands-table.js';
import { commandModule } from '../define.js';
import { renderDocument, writeJson } from '../json.js';
import { UsageError } from '../../errors.js';
import { loadTemplateOverrides } from '../templates.js';

export default commandModule(render, async (options, io) => {
  const { target } = options;
  if (options.json && options.out) throw new UsageError('--json prints the files, --out writes them: choose one');
  const layout = layoutOf(options, target);
  const spec = await loadFromOptions(options, io);
  const templates = options.templates ? await loadTemplateOverrides(options.templates, io.cwd) : undefined;
  let rendered: Rendered;
  try {
    rendered = renderLoaded(spec, { target, layout, services: servicesOf(options), strict: options.strict, templates }, io);
  } catch (error) {
    // with the user's own templates, a template that fails is theirs to fix, not a bug of pvpn-gen
    if (!options.templates || isPvpnGenError(error)) throw error;
    throw new OperationError(`a template in ${options.templates} failed: ${(error as Error).message}`);
  }
  if (options.json) {
    writeJson(io, 'render', renderDocument(rendered, locateProblems(rendered.warnings, spec)));
  } else if (options.out) {
    const { writeRenderedTree } = await import('../../system/export.js');
    const written = writeRenderedTree(rendered, options.out, io.cwd);
    io.stdout.write(`wrote ${written} files under ${options.out}\n`);
  } else {
    io.stdout.write(printRendered(rendered));
  }
  return 0;
});

/** `==> /etc/systemd/system/x.service <==` then the content, as tail(1) shows several files. */
export function printRendered(rendered: Rendered): string {
  return rendered.entries
    .map((entry) =>
      entry.kind === 'file' ? `==> ${entry.path} <==\n${entry.content}` : `==> ${entry.path} -> ${entry.target} <==\n`,
    )
    .join('\n');
}

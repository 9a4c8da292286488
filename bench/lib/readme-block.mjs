// The README's "Latest run" block, cut from the report the bench just wrote, so the README shows the newest numbers
// and never numbers typed by hand. Lives between <!-- bench:start --> and <!-- bench:end -->.
import { readFileSync, writeFileSync } from 'node:fs';
import { withReadmeSection } from '../../scripts/readme-sections.mjs';

/** The meta line, the targets and the start-up table of a report (bench/results/latest.md). */
export function readmeBlock(report) {
  const lines = report.split('\n');
  const section = (title) => {
    const from = lines.findIndex((line) => line.startsWith(`### ${title}`));
    if (from < 0) throw new Error(`bench report has no "### ${title}" section`);
    const to = lines.findIndex((line, i) => i > from && line.startsWith('### '));
    return lines.slice(from + 1, to < 0 ? undefined : to).join('\n').trim();
  };
  const meta = (lines.find((line) => /^\d{4}-\d\d-\d\d /.test(line)) ?? '').split(';')[0];
  return [`Latest run (${meta}; full output in \`bench/results/latest.md\`):`, '', section('Targets'), '', 'Start-up on the seed spec:', '', section('Start-up')].join('\n');
}

/** Replaces the block in README.md. */
export function updateReadme(report, path = 'README.md') {
  writeFileSync(path, withReadmeSection(readFileSync(path, 'utf8'), 'bench', readmeBlock(report)));
}

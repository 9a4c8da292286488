/**
 * `pvpn-gen status [NAME...] [--json]`: for each installed service, enabled, running or waiting, the last run
 * (start, duration, exit status), skipped runs and the next run; --runs shows the recent runs too.
 */
import { liveStatusPort } from '../../system/status-port.js';
import { targetNamed } from '../../targets/index.js';
import type { RunRecord, ServiceStatus } from '../../targets/status.js';
import { status } from '../commands-table.js';
import { commandModule } from '../define.js';
import { writeJson } from '../json.js';
import { installedServices } from '../installed.js';

function when(iso: string | undefined): string {
  return iso ? iso.replace('T', ' ').replace(/\.\d+Z$/, ' UTC').replace(/Z$/, ' UTC') : '-';
}

function describeRun(run: RunRecord | undefined): string {
  if (!run) return 'no runs yet';
  const duration = run.seconds === undefined ? '' : `, ${run.seconds}s`;
  const status = run.status === undefined ? '' : `, exit ${run.status}`;
  return `${run.outcome} ${when(run.started)}${duration}${status}${run.detail ? ` (${run.detail})` : ''}`;
}

export function formatStatus(statuses: readonly ServiceStatus[], showRuns: boolean): string {
  const lines: string[] = [];
  for (const s of statuses) {
    lines.push(`${s.name} (${s.kind}, ${s.target}): ${s.enabled ? 'enabled' : 'disabled'}, ${s.state}${s.pid ? ` (pid ${s.pid})` : ''}`);
    if (s.kind === 'periodic' || s.lastRun) lines.push(`  last run: ${describeRun(s.lastRun)}`);
    if (s.skipped > 0) lines.push(`  skipped:  ${s.skipped} of the last ${s.runs.length} runs (precondition not met)`);
    if (s.kind === 'periodic') lines.push(`  next run: ${when(s.nextRun)}`);
    const sent = s.lastNotification;
    if (sent) lines.push(`  notified: ${sent.event} ${when(sent.at)}, desktop: ${sent.desktop.join(', ') || 'nobody logged in'}${sent.command === undefined ? '' : `, command exit ${sent.command}`}`);
    if (showRuns) for (const run of s.runs) lines.push(`    ${describeRun(run)}`);
  }
  return lines.join('\n') + '\n';
}

export default commandModule(status, async (options, io, args) => {
  const statuses = await Promise.all(installedServices(args, options.project).map((s) => targetNamed(s.target).status(s, liveStatusPort)));
  if (options.json) writeJson(io, 'status', { services: statuses });
  else io.stdout.write(formatStatus(statuses, options.runs));
  return 0;
});

/**
 * The part install and uninstall share after planning: show the diff, refuse on conflicts, ask, take the lock,
 * check nothing moved meanwhile, then run the steps in a task list (stop, write, start). Interaction happens before
 * the task list starts, so the task list never overwrites a question.
 *
 * --dry-run runs this very flow on the dry-run System (src/system/dry-run.ts): the journal, the temps, the renames
 * and the actions all happen in memory, and what would have been written and run is printed at the end.
 */
import { applyPlan, cleanupState, dryRunSite, lockSite, manifestsAt, pendingJournal, type InstallPlanContext, type Site } from '../system/session.js';
import { runActions } from '../system/run-actions.js';
import { OperationError, UsageError } from '../errors.js';
import { describeAction } from '../plan/actions.js';
import { summarise } from '../plan/format-diff.js';
import { conflicts, hasChanges } from '../plan/types.js';
import type { Io } from './io.js';
import { confirm, rendererFor, showPlan } from './ui.js';

export interface FlowOptions {
  readonly yes?: boolean;
  readonly dryRun?: boolean;
  readonly force?: boolean;
  readonly start?: boolean;
  readonly lockWait?: number;
  readonly verb: 'install' | 'uninstall';
}

export async function applyFlow(realSite: Site, io: Io, options: FlowOptions, makePlan: (site: Site) => InstallPlanContext): Promise<number> {
  const effects: string[] = [];
  const site = options.dryRun ? dryRunSite(realSite, (line) => effects.push(line)) : realSite;
  if (options.dryRun && pendingJournal(site.system, site.root)) io.stderr.write('pvpn-gen: an interrupted run left a journal; a real run would finish it first (shown below)\n');
  // Planning happens under the lock: another run's half-applied files must never look like foreign files.
  const lock = await lockSite(site, {
    waitSeconds: options.lockWait ?? 30,
    onWait: (holder) => io.stderr.write(`pvpn-gen: waiting for another pvpn-gen run (${holder}) to finish...\n`),
    onRecovered: (message) => io.stderr.write(`pvpn-gen: ${options.dryRun ? 'would have ' : ''}${message}\n`),
  });
  let code: number;
  try {
    code = await planAndApply(site, io, options, makePlan(site));
  } finally {
    // Nothing installed any more (last uninstall, or a first install that failed): leave no state directory behind.
    if (manifestsAt(site).size === 0) cleanupState(site, lock);
    lock.release();
  }
  if (options.dryRun && code === 0 && effects.length > 0) {
    io.stdout.write(`\ndry run: these steps would run (nothing was written, nothing was started):\n`);
    for (const line of effects) io.stdout.write(`  ${line}\n`);
  }
  return code;
}

/** Shows the diff; false when there is nothing to do. Conflicts stop everything here, before anything is written. */
function present(site: Site, io: Io, options: FlowOptions, context: InstallPlanContext): boolean {
  if (!hasChanges(context.plan)) {
    io.stdout.write(`up to date: nothing to ${options.verb}\n`);
    return false;
  }
  showPlan(site, io, context);
  if (conflicts(context.plan).length > 0) throw conflictError(context.plan, options);
  return true;
}

function conflictError(plan: InstallPlanContext['plan'], options: FlowOptions): OperationError {
  const n = conflicts(plan).length;
  const fix = options.force ? '' : ' Use --force to take over, keeping backups.';
  return new OperationError(`${n} conflict${n === 1 ? '' : 's'} (listed above); nothing was written.${fix}`);
}

async function planAndApply(site: Site, io: Io, options: FlowOptions, context: InstallPlanContext): Promise<number> {
  const { plan } = context;
  if (!present(site, io, options, context)) return 0;
  if (!options.yes && !options.dryRun) {
    if (!io.stdin?.isTTY) throw new UsageError(`not asking on a non-terminal: pass --yes to ${options.verb} without a prompt`);
    if (!(await confirm(io, `${options.verb === 'install' ? 'Install' : 'Remove'} these changes?`))) {
      io.stderr.write('pvpn-gen: nothing was changed\n');
      return 1;
    }
  }
  const warnings: string[] = [];
  const start = site.live && options.start !== false;
  const s = summarise(plan);
  const summary = `${options.verb} of project ${plan.manifest.project}: ${s.create} created, ${s.update} updated, ${s.remove} removed`;
  const { Listr } = await import('listr2');
  const tasks = new Listr(
    [
      {
        title: 'Stop services that are being removed',
        enabled: () => site.live && plan.before.length > 0,
        task: () => runActions(site.system, plan.before, { tolerate: true, onWarning: (m) => warnings.push(m) }),
      },
      {
        title: `Write ${s.create + s.update} and remove ${s.remove} files (atomically, journaled)`,
        task: async (_ctx, task) => {
          const result = await applyPlan(site, context, summary, (phase) => (task.output = phase));
          warnings.push(...result.warnings);
        },
      },
      {
        title: plan.after.map(describeAction).join('; ') || 'Nothing to start',
        enabled: () => start && plan.after.length > 0,
        task: () => runActions(site.system, plan.after),
      },
    ],
    { renderer: options.dryRun ? 'silent' : rendererFor(io), exitOnError: true },
  );
  await tasks.run();
  if (site.live && !start && plan.after.length > 0) io.stdout.write(`not started (--no-start); to start: ${plan.after.map(describeAction).join('; ')}\n`);
  if (!site.live && plan.after.length > 0) io.stdout.write(`staged under ${site.root}; on the live system these would run: ${plan.after.map(describeAction).join('; ')}\n`);
  for (const warning of warnings) io.stderr.write(`pvpn-gen: warning: ${warning}\n`);
  io.stdout.write(`${options.dryRun ? 'dry run of' : 'done:'} ${summary}\n`);
  return 0;
}

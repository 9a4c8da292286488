/**
 * The part install and uninstall share after planning: show the diff, refuse on conflicts, ask, take the lock,
 * check nothing moved meanwhile, then run the steps in a task list (stop, write, start). Interaction happens before
 * the task list starts, so the task list never overwrites a question.
 */
import { realWritePort } from '../apply/fs-write.js';
import { buildOps } from '../apply/transaction.js';
import { applyPlan, cleanupState, lockSite, manifestsAt, pendingJournal, type InstallPlanContext, type Site } from '../apply/session.js';
import { runActions } from '../control/run-actions.js';
import { OperationError, UsageError } from '../errors.js';
import { describeAction } from '../plan/actions.js';
import { formatPlan, summarise } from '../plan/format-diff.js';
import { conflicts, hasChanges } from '../plan/types.js';
import type { Io } from './io.js';
import { colourDiff, confirm, rendererFor, useColour } from './ui.js';

export interface FlowOptions {
  readonly yes?: boolean;
  readonly dryRun?: boolean;
  readonly force?: boolean;
  readonly start?: boolean;
  readonly lockWait?: number;
  readonly verb: 'install' | 'uninstall';
}

/** Finishes a run a crash left behind, before planning, so the plan starts from a consistent state. */
export async function recoverFirst(site: Site, io: Io, options: FlowOptions): Promise<void> {
  if (!pendingJournal(site.root)) return;
  if (options.dryRun) {
    io.stderr.write('pvpn-gen: an interrupted run left a journal; a real run would finish it first\n');
    return;
  }
  const lock = await lockSite(site, realWritePort, {
    waitSeconds: options.lockWait ?? 30,
    onRecovered: (message) => io.stderr.write(`pvpn-gen: ${message}\n`),
  });
  lock.release();
}

export async function applyFlow(site: Site, io: Io, options: FlowOptions, replan: () => InstallPlanContext): Promise<number> {
  const context = replan();
  const { plan } = context;
  const text = formatPlan(plan, site.live ? {} : { actionsNote: 'not run with --root' });
  const problems = conflicts(plan);
  if (!hasChanges(plan)) {
    io.stdout.write(`up to date: nothing to ${options.verb}\n`);
    return 0;
  }
  io.stdout.write(useColour(io) ? colourDiff(text) : text);
  if (problems.length > 0) {
    throw new OperationError(
      `${problems.length} conflict${problems.length === 1 ? '' : 's'} (listed above); nothing was written. ${options.force ? '' : 'Use --force to take over, keeping backups.'}`.trim(),
    );
  }
  if (options.dryRun) {
    io.stdout.write(`\ndry run: these steps would run (nothing was written):\n`);
    for (const op of buildOps({ root: site.root, plan, previous: context.previous, txid: 'dry-run' }).ops) {
      io.stdout.write(`  ${op.op} ${'path' in op ? op.path : ''}\n`);
    }
    return 0;
  }
  if (!options.yes) {
    if (!io.stdin?.isTTY) throw new UsageError(`not asking on a non-terminal: pass --yes to ${options.verb} without a prompt`);
    if (!(await confirm(io, `${options.verb === 'install' ? 'Install' : 'Remove'} these changes?`))) {
      io.stderr.write('pvpn-gen: nothing was changed\n');
      return 1;
    }
  }

  const lock = await lockSite(site, realWritePort, {
    waitSeconds: options.lockWait ?? 30,
    onWait: (holder) => io.stderr.write(`pvpn-gen: waiting for another pvpn-gen run (${holder}) to finish...\n`),
    onRecovered: (message) => io.stderr.write(`pvpn-gen: ${message}\n`),
  });
  const warnings: string[] = [];
  try {
    // What we showed must be what we do: if another run changed things while we asked or waited, stop.
    const current = replan();
    if (formatPlan(current.plan) !== formatPlan(plan)) {
      throw new OperationError('the installed files changed while waiting (another run?); nothing was written; run again to see the new diff');
    }
    const start = site.live && options.start !== false;
    const s = summarise(plan);
    const summary = `${options.verb} of project ${plan.manifest.project}: ${s.create} created, ${s.update} updated, ${s.remove} removed`;
    const { Listr } = await import('listr2');
    const tasks = new Listr(
      [
        {
          title: 'Stop services that are being removed',
          enabled: () => site.live && plan.before.length > 0,
          task: () => runActions(plan.before, { tolerate: true, onWarning: (m) => warnings.push(m) }),
        },
        {
          title: `Write ${s.create + s.update} and remove ${s.remove} files (atomically, journaled)`,
          task: (_ctx, task) => {
            const result = applyPlan(site, current, realWritePort, summary, (phase) => (task.output = phase));
            warnings.push(...result.warnings);
          },
        },
        {
          title: plan.after.map(describeAction).join('; ') || 'Nothing to start',
          enabled: () => start && plan.after.length > 0,
          task: () => runActions(plan.after),
        },
      ],
      { renderer: rendererFor(io), exitOnError: true },
    );
    await tasks.run();
    if (manifestsAt(site).size === 0) cleanupState(site, realWritePort, lock);
    if (site.live && !start && plan.after.length > 0) io.stdout.write(`not started (--no-start); to start: ${plan.after.map(describeAction).join('; ')}\n`);
    if (!site.live && plan.after.length > 0) io.stdout.write(`staged under ${site.root}; on the live system these would run: ${plan.after.map(describeAction).join('; ')}\n`);
    for (const warning of warnings) io.stderr.write(`pvpn-gen: warning: ${warning}\n`);
    io.stdout.write(`done: ${summary}\n`);
    return 0;
  } finally {
    lock.release();
  }
}

import type { Command } from 'commander';
import { globals, loadOrExit, reportDiagnostics, ReportedFailure, withAdapter, type GlobalOptions } from '../context.js';
import { paint, printJson, progress } from '../output.js';
import { planOrExit, printPlan } from './plan.js';
import { applyPlan } from '../../apply/apply-plan.js';
import type { Adapter } from '../../adapters/adapter.js';
import type { Project, TargetConfig } from '../../project/types.js';

export interface ApplyOptions extends GlobalOptions {
  allowDestructive?: boolean;
  user?: string;
}

/** Plan and apply on an open connection; prints what was done. Shared by `apply` and `dev`. */
export async function planAndApply(project: Project, adapter: Adapter, target: TargetConfig, opts: ApplyOptions) {
  const plan = await planOrExit(project, adapter, target, opts);
  if (plan.operations.length === 0) {
    if (!opts.json) printPlan(plan);
    return plan;
  }
  const bar = progress('applying');
  const started = performance.now();
  const result = await applyPlan(plan, adapter, { onProgress: (done, total) => bar.update(done, total) });
  bar.done();
  if (!result.ok) {
    reportDiagnostics(result.diagnostics, opts, project.dir);
    throw new ReportedFailure(1);
  }
  if (!opts.json) {
    printPlan(plan);
    console.log(`${paint('green', '✓')} applied to ${target.name} in ${Math.round(performance.now() - started)} ms`);
  }
  return plan;
}

export function registerApply(program: Command): void {
  program
    .command('apply')
    .description('create or alter the write-back tables, load changed seeds, and create new model versions')
    .option('--allow-destructive', 'allow removing columns and input tables (their logs are archived, never dropped)')
    .option('--user <name>', 'who is recorded as applying (default: the OS user)')
    .action(async (options: { allowDestructive?: boolean; user?: string }, command: Command) => {
      const opts = { ...globals(command), ...options };
      const project = await loadOrExit(opts);
      const plan = await withAdapter(project, opts, (adapter, target) => planAndApply(project, adapter, target, opts));
      if (opts.json) printJson({ ok: true, operations: plan.operations });
    });
}

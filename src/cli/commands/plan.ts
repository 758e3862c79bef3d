import type { Command } from 'commander';
import { globals, loadOrExit, reportDiagnostics, ReportedFailure, withAdapter, type GlobalOptions } from '../context.js';
import { paint, printJson, useColor } from '../output.js';
import { formatDiagnostics } from '../../diagnostics/code-frame.js';
import { osUser } from '../user.js';
import { planProject, type Plan } from '../../plan/plan-project.js';
import type { Adapter } from '../../adapters/adapter.js';
import type { Project, TargetConfig } from '../../ir/types.js';

/** Plan against the warehouse, or print the problems and stop. */
export async function planOrExit(
  project: Project,
  adapter: Adapter,
  target: TargetConfig,
  opts: GlobalOptions & { allowDestructive?: boolean; user?: string },
): Promise<Plan> {
  const result = await planProject(project, {
    targetName: target.name,
    adapter,
    user: opts.user ?? osUser(),
    allowDestructive: !!opts.allowDestructive,
  });
  if (!result.ok) {
    reportDiagnostics(result.diagnostics, opts, project.dir);
    throw new ReportedFailure(1);
  }
  if (result.warnings.length > 0 && !opts.json) {
    process.stderr.write(formatDiagnostics(result.warnings, project.dir, { color: useColor }) + '\n');
  }
  return result.value;
}

/** Print a plan for people: one line per operation, destructive ones in red. */
export function printPlan(plan: Pick<Plan, 'operations'>): void {
  if (plan.operations.length === 0) {
    console.log(`${paint('green', '✓')} nothing to do: the warehouse matches the project`);
    return;
  }
  for (const op of plan.operations) {
    const destructive = 'destructive' in op && op.destructive === true;
    console.log(`  ${destructive ? paint('red', '!') : paint('green', '+')} ${op.description}`);
  }
  console.log(`${plan.operations.length} operation${plan.operations.length === 1 ? '' : 's'}`);
}

export function registerPlan(program: Command): void {
  program
    .command('plan')
    .description('show what apply would create, alter and version in the warehouse')
    .option('--allow-destructive', 'plan removals of columns and input tables (their logs are archived, never dropped)')
    .action(async (options: { allowDestructive?: boolean }, command: Command) => {
      const opts = { ...globals(command), ...options };
      const project = await loadOrExit(opts);
      const plan = await withAdapter(project, opts, (adapter, target) => planOrExit(project, adapter, target, opts));
      if (opts.json) return printJson({ ok: true, operations: plan.operations });
      printPlan(plan);
    });
}

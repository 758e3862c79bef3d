import type { Command } from 'commander';
import { globals, loadOrExit } from '../context.js';
import { printJson } from '../output.js';
import { deployProject, printPlan } from '../deploy.js';
import { examples } from '../help.js';

export function registerPlan(program: Command): void {
  const cmd = program
    .command('plan')
    .description('show what apply would create, alter and version in the warehouse (changes nothing)')
    .option('--allow-destructive', 'plan removals of columns and input tables (their logs are archived, never dropped)')
    .action(async (options: { allowDestructive?: boolean }, command: Command) => {
      const opts = { ...globals(command), ...options };
      const project = await loadOrExit(opts);
      const plan = await deployProject(opts, project, { dryRun: true, ...(options.allowDestructive ? { allowDestructive: true } : {}) });
      if (opts.json) return printJson({ ok: true, operations: plan.operations });
      printPlan(plan.operations);
    });
  examples(cmd, [
    ['writeback plan', 'what `apply` would do to the default target'],
    ['writeback plan --allow-destructive --json', 'including removals, as JSON'],
  ]);
}

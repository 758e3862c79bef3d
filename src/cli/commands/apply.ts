import type { Command } from 'commander';
import { globals, loadOrExit } from '../context.js';
import { paint, printJson } from '../output.js';
import { deployProject, printPlan } from '../deploy.js';
import { examples } from '../help.js';

export function registerApply(program: Command): void {
  const cmd = program
    .command('apply')
    .description('create or alter the write-back tables, load changed seeds, and create new model versions')
    .option('--allow-destructive', 'allow removing columns and input tables (their logs are archived, never dropped)')
    .option('--user <name>', 'who is recorded as applying (default: the OS user)')
    .action(async (options: { allowDestructive?: boolean; user?: string }, command: Command) => {
      const opts = { ...globals(command), ...options };
      const project = await loadOrExit(opts);
      const result = await deployProject(opts, project, options);
      if (opts.json) return printJson({ ok: true, operations: result.operations });
      printPlan(result.operations);
      if (result.operations.length === 0) return;
      const where = result.server ? ` through the running server at ${result.server}` : '';
      console.log(`${paint('green', '✓')} applied to ${opts.target ?? project.defaultTarget}${where} in ${result.ms} ms`);
    });
  examples(cmd, [
    ['writeback apply', 'bring the default target in line with the YAML (works while `dev`/`serve` runs)'],
    ['writeback apply --target prod --user ci', 'another target, recorded as applied by ci'],
    ['writeback apply --allow-destructive', 'also drop removed columns (logs are kept)'],
  ]);
}

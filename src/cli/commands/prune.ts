import { versionViewName } from '../../managed/names.js';
import type { Command } from 'commander';
import { globals, loadOrExit, withAdapter, UsageError } from '../context.js';
import { paint, printJson } from '../output.js';
import { pruneVersions } from '../../plan/versions.js';

export function registerPrune(program: Command): void {
  program
    .command('prune')
    .description('drop old model versions, keeping the newest N of each model (never the latest)')
    .requiredOption('--keep <n>', 'versions to keep per model (at least 1)')
    .action(async (options: { keep: string }, command: Command) => {
      const opts = globals(command);
      const keep = Number(options.keep);
      if (!Number.isInteger(keep) || keep < 1) throw new UsageError(`--keep must be a whole number of at least 1, got '${options.keep}'`);
      const project = await loadOrExit(opts);
      const dropped = await withAdapter(project, opts, (adapter) => pruneVersions(adapter, project, { keep }));
      if (opts.json) return printJson({ ok: true, dropped });
      if (dropped.length === 0) return console.log(`${paint('green', '✓')} nothing to prune`);
      for (const d of dropped) console.log(`  ${paint('red', '-')} dropped ${versionViewName(d.model, d.version)}`);
      console.log(`${paint('green', '✓')} pruned ${dropped.length} view${dropped.length === 1 ? '' : 's'}`);
    });
}

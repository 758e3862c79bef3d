import type { Command } from 'commander';
import { versionViewName } from '../../managed/names.js';
import type { PrunedVersion } from '../../plan/versions.js';
import { adminOrFail } from '../admin-call.js';
import { globals } from '../context.js';
import { wholeNumber } from '../options.js';
import { paint, plural, printJson } from '../output.js';
import { examples } from '../help.js';

export function registerPrune(program: Command): void {
  const cmd = program
    .command('prune')
    .description('drop old model version views, keeping the newest N of each model (never the latest, nor one a kept version reads)')
    .requiredOption('--keep <n>', 'versions to keep per model (at least 1)')
    .option('--dry-run', 'only list what would be dropped')
    .action(async (options: { keep: string; dryRun?: boolean }, command: Command) => {
      const opts = globals(command);
      const keep = wholeNumber(options.keep, '--keep', 1);
      const res = await adminOrFail<{ dropped: PrunedVersion[]; dry_run: boolean }>(opts, 'POST', 'prune', { keep, ...(options.dryRun ? { dry_run: true } : {}) });
      if (opts.json) return printJson({ ok: true, dropped: res.dropped, ...(options.dryRun ? { dry_run: true } : {}) });
      if (res.dropped.length === 0) return console.log(`${paint('green', '✓')} nothing to prune`);
      for (const d of res.dropped) console.log(`  ${paint('red', '-')} ${options.dryRun ? 'would drop' : 'dropped'} ${versionViewName(d.model, d.version)}`);
      console.log(`${paint('green', '✓')} ${options.dryRun ? 'would prune' : 'pruned'} ${plural(res.dropped.length, 'view')}`);
    });
  examples(cmd, [
    ['writeback prune --keep 3 --dry-run', 'which version views would go'],
    ['writeback prune --keep 3', 'keep the newest three versions of every model'],
  ]);
}

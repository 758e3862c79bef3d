import type { Command } from 'commander';
import { globals, ReportedFailure } from '../context.js';
import { paint, plural, printJson } from '../output.js';
import { examples } from '../help.js';
import { withBackend } from '../backend.js';

export function registerVerify(program: Command): void {
  const cmd = program
    .command('verify [tables...]')
    .description('rebuild every state table from its log and check each hash chain; report any drift or tampering')
    .action(async (tables: string[], _flags: unknown, command: Command) => {
      const opts = globals(command);
      const report = await withBackend(opts, (backend) => backend.verify(tables.length > 0 ? tables : undefined));
      if (opts.json) printJson(report);
      else {
        for (const t of report.tables) console.log(`  ${t.table}: ${plural(t.entries, 'log entry', 'log entries')}, ${plural(t.stateRows, 'state row')}`);
        for (const p of report.problems) console.log(`  ${paint('red', '✗')} ${p.table} [${p.kind}] ${p.message}`);
        console.log(report.ok ? `${paint('green', '✓')} every state matches its log and every hash chain is intact` : paint('red', `${plural(report.problems.length, 'problem')} found`));
      }
      if (!report.ok) throw new ReportedFailure(1);
    });
  examples(cmd, [
    ['writeback verify', 'every input table (exit 1 when anything drifted or was tampered with)'],
    ['writeback verify revenue_forecast --json', 'one table, as JSON'],
  ]);
}

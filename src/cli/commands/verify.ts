import type { Command } from 'commander';
import { globals, ReportedFailure } from '../context.js';
import { paint, printJson } from '../output.js';
import { withBackend } from '../backend.js';

export function registerVerify(program: Command): void {
  program
    .command('verify [tables...]')
    .description('rebuild every state table from its log and check each hash chain; report any drift or tampering')
    .action(async (tables: string[], _flags: unknown, command: Command) => {
      const opts = globals(command);
      const report = await withBackend(opts, (backend) => backend.verify(tables.length > 0 ? tables : undefined));
      if (opts.json) printJson(report);
      else {
        for (const t of report.tables) console.log(`  ${t.table}: ${t.entries} log entries, ${t.stateRows} state rows`);
        for (const p of report.problems) console.log(`  ${paint('red', '✗')} ${p.table} [${p.kind}] ${p.message}`);
        console.log(report.ok ? `${paint('green', '✓')} every state matches its log and every hash chain is intact` : paint('red', `${report.problems.length} problem(s) found`));
      }
      if (!report.ok) throw new ReportedFailure(1);
    });
}

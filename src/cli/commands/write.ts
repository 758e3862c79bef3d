import { confirmationRequired, confirmThreshold } from '../../rules/confirmation.js';
import type { Command } from 'commander';
import { globals, loadOrExit, ReportedFailure, UsageError } from '../context.js';
import { paint, paintErr, plural, printJson, ticker } from '../output.js';
import { examples } from '../help.js';
import { osUser } from '../user.js';
import { withBackend } from '../backend.js';
import { printApiError } from '../print-error.js';
import { readRowsFile } from '../read-rows-file.js';


interface WriteFlags {
  file: string;
  user?: string;
  scenario?: string;
  comment?: string;
  dryRun?: boolean;
  yes?: boolean;
  delete?: boolean;
}

/** The confirmation in the CLI's words. */
export const CLI_CONFIRM = { confirm: '--yes', dryRun: '--dry-run' };

export function registerWrite(program: Command): void {
  const cmd = program
    .command('write <table>')
    .description('write (or --delete) the rows of a CSV/JSON file as one all-or-nothing, fully logged batch')
    .requiredOption('-f, --file <path>', 'rows as .csv, .tsv, .json or .jsonl (column names as headers / keys)')
    .option('--user <name>', 'who is recorded as the writer (default: the OS user)')
    .option('--scenario <name>', 'scenario to write (default: base)')
    .option('--comment <text>', 'comment stored with every entry')
    .option('--delete', 'delete the keys listed in the file instead of upserting')
    .option('--dry-run', 'validate, authorize and check conflicts, then write nothing')
    .option('-y, --yes', 'confirm a change of more rows than project.yml confirm_threshold (default 100)')
    .action(async (table: string, flags: WriteFlags, command: Command) => {
      const opts = globals(command);
      const project = await loadOrExit(opts);
      const input = project.inputs[table];
      if (!input) throw new UsageError(`unknown input table '${table}' (known: ${Object.keys(project.inputs).join(', ') || 'none'})`);
      const reading = ticker(`reading ${flags.file}`);
      const rows = await readRowsFile(flags.file, input).finally(() => reading.done());
      const refused = confirmationRequired(rows.length, flags.delete ? 'deleting' : 'writing', { confirm: flags.yes, dryRun: flags.dryRun }, confirmThreshold(project), CLI_CONFIRM);
      if (refused) {
        if (opts.json) printJson({ error: refused });
        else process.stderr.write(paintErr('yellow', refused.message) + '\n');
        throw new ReportedFailure(1);
      }
      const started = performance.now();
      const writing = ticker(`${flags.dryRun ? 'checking' : flags.delete ? 'deleting' : 'writing'} ${plural(rows.length, 'row')} in one transaction`);
      const result = await withBackend(opts, (backend) =>
        backend.write(flags.delete ? 'delete' : 'write', table, rows, {
          user: flags.user ?? osUser(),
          ...(flags.scenario ? { scenario: flags.scenario } : {}),
          ...(flags.comment ? { comment: flags.comment } : {}),
          ...(flags.dryRun ? { dryRun: true } : {}),
        }),
        { project },
      ).finally(() => writing.done());
      if (!result.ok) {
        printApiError(result.error, opts.json);
        throw new ReportedFailure(1);
      }
      if (opts.json) return printJson(result.value);
      const verb = flags.dryRun ? (flags.delete ? 'would delete' : 'would write') : flags.delete ? 'deleted' : 'wrote';
      const unchanged = result.value.entries.filter((e) => e.op === 'unchanged').length;
      const changed = result.value.entries.length - unchanged;
      console.log(
        `${paint('green', '✓')} ${verb} ${plural(changed, 'row')} of ${table} at ${result.value.at} ` +
          `in ${Math.round(performance.now() - started)} ms${unchanged ? ` (${plural(unchanged, 'row')} already as sent: unchanged)` : ''}${result.value.replayed ? ' (replayed)' : ''}`,
      );
    });
  examples(cmd, [
    ['writeback write revenue_forecast --file forecast.csv --user ana --comment "Q4 plan"', 'upsert the rows of a CSV file as ana'],
    ['writeback write revenue_forecast --file big.jsonl --yes', 'more rows than confirm_threshold'],
    ['writeback write revenue_forecast --file gone.csv --delete --dry-run', 'which keys would be deleted'],
  ]);
}

import { confirmationRequired, confirmThreshold } from '../../rules/confirmation.js';
import type { Command } from 'commander';
import { globals, loadOrExit, ReportedFailure, UsageError } from '../context.js';
import { paint, printJson } from '../output.js';
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
  program
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
      const reading = process.stderr.isTTY && !opts.json;
      if (reading) process.stderr.write(`reading ${flags.file}…`);
      const rows = await readRowsFile(flags.file, input);
      if (reading) process.stderr.write(`\r\x1b[K`);
      const refused = confirmationRequired(rows.length, flags.delete ? 'deleting' : 'writing', { confirm: flags.yes, dryRun: flags.dryRun }, confirmThreshold(project), CLI_CONFIRM);
      if (refused) {
        if (opts.json) printJson({ error: refused });
        else process.stderr.write(paint('yellow', refused.message) + '\n');
        throw new ReportedFailure(1);
      }
      const started = performance.now();
      if (reading) process.stderr.write(`${flags.dryRun ? 'checking' : 'writing'} ${rows.length} rows in one transaction…`);
      const result = await withBackend(opts, (backend) =>
        backend.write(flags.delete ? 'delete' : 'write', table, rows, {
          user: flags.user ?? osUser(),
          ...(flags.scenario ? { scenario: flags.scenario } : {}),
          ...(flags.comment ? { comment: flags.comment } : {}),
          ...(flags.dryRun ? { dryRun: true } : {}),
        }),
      );
      if (reading) process.stderr.write(`\r\x1b[K`);
      if (!result.ok) {
        printApiError(result.error, opts.json);
        throw new ReportedFailure(1);
      }
      if (opts.json) return printJson(result.value);
      const verb = flags.dryRun ? (flags.delete ? 'would delete' : 'would write') : flags.delete ? 'deleted' : 'wrote';
      console.log(
        `${paint('green', '✓')} ${verb} ${result.value.entries.length} rows of ${table} at ${result.value.at} ` +
          `in ${Math.round(performance.now() - started)} ms${result.value.replayed ? ' (replayed)' : ''}`,
      );
    });
}

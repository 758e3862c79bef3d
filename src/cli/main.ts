import { Command, CommanderError } from 'commander';
import { ReportedFailure, UsageError } from './context.js';
import { paintErr } from './output.js';
import { registerCommands } from './commands/index.js';
import { examples } from './help.js';
import { packageVersion } from './version.js';

/**
 * Exit codes: 0 done; 1 the command ran and failed (project problems, a refused write or query,
 * verify found problems, a confirmation missing); 2 it could not run as called (unknown command or
 * option, a bad option value, a missing file, an unknown target, a port in use, a warehouse held
 * by another process); 70 an internal error (a bug).
 */
const EXIT = { ok: 0, failed: 1, usage: 2, internal: 70 } as const;

const program = new Command('writeback')
  .description('Warehouse-native input tables: declare them in YAML, write them through an API, read them merged in BI.')
  .version(packageVersion(), '-V, --version', 'print the version')
  .option('-p, --project <dir>', 'project directory', '.')
  .option('-t, --target <name>', 'target from project.yml (default: its default_target)')
  .option('--json', 'machine-readable output')
  .showHelpAfterError()
  .exitOverride();

registerCommands(program);
examples(program, [
  ['writeback init shop && cd shop', 'a new project'],
  ['writeback apply && writeback dev', 'create its tables and views, then serve and watch'],
  ['writeback query "select * from analytics.customers_enriched"', 'read a merged view'],
  ['writeback <command> --help', 'options and examples of a command'],
]);
program.addHelpText(
  'after',
  '\nExit codes: 0 done, 1 failed (problems reported), 2 wrong usage or environment (bad option, missing file, port in use, warehouse held elsewhere), 70 internal error.\n' +
    'Colours: only on a terminal; NO_COLOR=1 turns them off, FORCE_COLOR=1 on.\n',
);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof ReportedFailure) {
    process.exitCode = err.exitCode;
  } else if (err instanceof CommanderError) {
    // --help and --version end here with 0; unknown commands and options with 1 from commander: usage is 2
    process.exitCode = err.exitCode === 0 ? EXIT.ok : EXIT.usage;
  } else if (err instanceof UsageError) {
    process.stderr.write(paintErr('red', `error: ${err.message}`) + '\n');
    process.exitCode = EXIT.usage;
  } else {
    process.stderr.write(paintErr('red', 'internal error (a bug in writeback — please report it):') + '\n');
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = EXIT.internal;
  }
}

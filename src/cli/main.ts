import { Command, CommanderError } from 'commander';
import { ReportedFailure, UsageError } from './context.js';
import { paint } from './output.js';
import { registerCommands } from './commands/index.js';

const program = new Command('writeback')
  .description('Warehouse-native input tables: declare them in YAML, write them through an API, read them merged in BI.')
  .version('0.1.0')
  .option('-p, --project <dir>', 'project directory', '.')
  .option('-t, --target <name>', 'target from project.yml (default: its default_target)')
  .option('--json', 'machine-readable output')
  .showHelpAfterError()
  .exitOverride();

registerCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof ReportedFailure) {
    process.exitCode = err.exitCode;
  } else if (err instanceof CommanderError) {
    process.exitCode = err.exitCode;
  } else if (err instanceof UsageError) {
    process.stderr.write(paint('red', `error: ${err.message}`) + '\n');
    process.exitCode = 2;
  } else {
    process.stderr.write(paint('red', 'internal error (a bug in writeback — please report it):') + '\n');
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 70;
  }
}

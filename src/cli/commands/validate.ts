import type { Command } from 'commander';
import { globals, loadOrExit } from '../context.js';
import { paint, plural, printJson } from '../output.js';
import { examples } from '../help.js';

export function registerValidate(program: Command): void {
  const cmd = program
    .command('validate')
    .description('check project.yml, inputs/, models/ and macros/ (offline: never opens the warehouse); print every problem with its file:line:col')
    .action(async (_options: unknown, command: Command) => {
      const opts = globals(command);
      const project = await loadOrExit(opts);
      const summary = {
        ok: true,
        project: project.name,
        inputs: Object.keys(project.inputs).length,
        models: project.models.length,
        sources: Object.keys(project.sources).length,
        macros: Object.keys(project.macros).length,
      };
      if (opts.json) return printJson(summary);
      console.log(
        `${paint('green', '✓')} ${project.name}: ${plural(summary.inputs, 'input table')}, ${plural(summary.models, 'model')}, ` +
          `${plural(summary.sources, 'source')}, ${plural(summary.macros, 'macro')} — no problems found`,
      );
    });
  examples(cmd, [
    ['writeback validate', 'check the project in the current folder'],
    ['writeback validate --project ../shop --json', 'another folder; problems as JSON (code, message, file:line:col)'],
  ]);
}

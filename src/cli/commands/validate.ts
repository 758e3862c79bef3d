import type { Command } from 'commander';
import { globals, loadOrExit } from '../context.js';
import { paint, printJson } from '../output.js';

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description('check project.yml, inputs/, models/ and macros/; print every problem with its file:line:col')
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
        `${paint('green', '✓')} ${project.name}: ${summary.inputs} input tables, ${summary.models} models, ` +
          `${summary.sources} sources, ${summary.macros} macros — no problems found`,
      );
    });
}

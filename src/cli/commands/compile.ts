import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { Command } from 'commander';
import { globals, loadOrExit, reportDiagnostics, ReportedFailure } from '../context.js';
import { paint, plural, printJson } from '../output.js';
import { examples } from '../help.js';

export function registerCompile(program: Command): void {
  const cmd = program
    .command('compile')
    .description('write the formatted SQL of every managed table and model to target/compiled/<dialect>/ (offline)')
    .option('-o, --out <dir>', 'output directory (default: target/compiled/<dialect>)')
    .action(async (options: { out?: string }, command: Command) => {
      const opts = globals(command);
      const project = await loadOrExit(opts);
      // the SQL formatter is loaded only by the commands that write SQL
      const { compile } = await import('../../library/compile.js');
      const compiled = compile(project, { target: opts.target });
      if (!compiled.ok) {
        reportDiagnostics(compiled.diagnostics, opts, project.dir);
        throw new ReportedFailure(1);
      }
      const { dialect, objects } = compiled.value;
      const out = options.out ?? join(project.dir, 'target', 'compiled', dialect);
      rmSync(out, { recursive: true, force: true });
      for (const object of objects) {
        const file = join(out, object.file);
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, object.sql.endsWith('\n') ? object.sql : object.sql + '\n');
      }
      if (opts.json) return printJson({ ok: true, dialect, out, files: objects.map((o) => o.file) });
      console.log(`${paint('green', '✓')} compiled ${plural(objects.length, 'object')} for ${dialect} into ${relative(process.cwd(), out) || '.'}`);
    });
  examples(cmd, [
    ['writeback compile', 'the SQL of the default target into target/compiled/<dialect>/'],
    ['writeback compile --target prod --out build/sql', 'a target declared in project.yml, in its dialect (no connection or credentials needed)'],
  ]);
}

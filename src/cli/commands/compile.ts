import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { Command } from 'commander';
import { globals, loadOrExit, reportDiagnostics, ReportedFailure } from '../context.js';
import { paint, printJson } from '../output.js';
import { compile } from '../../library/compile.js';

export function registerCompile(program: Command): void {
  program
    .command('compile')
    .description('write the formatted SQL of every managed table and model to target/compiled/<dialect>/ (offline)')
    .option('-o, --out <dir>', 'output directory (default: target/compiled/<dialect>)')
    .action(async (options: { out?: string }, command: Command) => {
      const opts = globals(command);
      const project = await loadOrExit(opts);
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
      console.log(`${paint('green', '✓')} compiled ${objects.length} objects for ${dialect} into ${relative(process.cwd(), out) || '.'}`);
    });
}

import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { Command } from 'commander';
import { globals, loadOrExit, reportDiagnostics, ReportedFailure } from '../context.js';
import { paint, printJson } from '../output.js';
import { resolveTarget } from '../../adapters/registry.js';
import { getDialect } from '../../dialects/registry.js';
import { identifierLengthDiagnostics } from '../../managed/identifier-length.js';
import { compileProject } from '../../emit/compile-project.js';
import { seedSourceColumns } from '../../seeds/seed-columns.js';

export function registerCompile(program: Command): void {
  program
    .command('compile')
    .description('write the formatted SQL of every managed table and model to target/compiled/<dialect>/ (offline)')
    .option('-o, --out <dir>', 'output directory (default: target/compiled/<dialect>)')
    .action(async (options: { out?: string }, command: Command) => {
      const opts = globals(command);
      const project = await loadOrExit(opts);
      const target = resolveTarget(project, opts.target);
      const dialect = getDialect(target.type);
      const objects = compileProject(project, dialect, target.name, { sourceColumns: seedSourceColumns(project) });
      const diagnostics = [...identifierLengthDiagnostics(project, dialect), ...objects.flatMap((o) => o.diagnostics)];
      if (diagnostics.some((d) => d.severity === 'error')) {
        reportDiagnostics(diagnostics, opts, project.dir);
        throw new ReportedFailure(1);
      }
      const out = options.out ?? join(project.dir, 'target', 'compiled', dialect.name);
      rmSync(out, { recursive: true, force: true });
      for (const object of objects) {
        const file = join(out, object.file);
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, object.sql.endsWith('\n') ? object.sql : object.sql + '\n');
      }
      if (opts.json) return printJson({ ok: true, dialect: dialect.name, out, files: objects.map((o) => o.file) });
      console.log(`${paint('green', '✓')} compiled ${objects.length} objects for ${dialect.name} into ${relative(process.cwd(), out) || '.'}`);
    });
}

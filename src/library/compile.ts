import { resolveTarget } from '../adapters/registry.js';
import type { Diagnostic, Result } from '../diagnostics/diagnostic.js';
import { getDialect } from '../dialects/registry.js';
import { compileProject, type CompiledObject } from '../emit/compile-project.js';
import type { Project } from '../ir/types.js';
import { identifierLengthDiagnostics } from '../managed/identifier-length.js';
import { seedSourceColumns } from '../seeds/seed-columns.js';

/** Options of {@link compile}. */
export interface CompileOptions {
  /** Target from project.yml whose warehouse the SQL is for; default: the project's `default_target`. */
  target?: string;
}

/** What {@link compile} produced: the dialect and every managed table and model, in apply order. */
export interface CompiledProject {
  /** `duckdb`, `postgres`, `snowflake` or `bigquery`. */
  dialect: string;
  objects: CompiledObject[];
}

/**
 * The formatted SQL of every managed table and model of a loaded project for one target's
 * warehouse, offline: no connection, no warehouse SDK (what `writeback compile` writes to
 * target/compiled/). Sources that seeds fill get their columns from the CSV headers. Fails with
 * the diagnostics when a model does not render or a derived name is too long for the warehouse;
 * throws `UsageError` for an unknown target.
 */
export function compile(project: Project, options: CompileOptions = {}): Result<CompiledProject> {
  const target = resolveTarget(project, options.target);
  const dialect = getDialect(target.type);
  const objects = compileProject(project, dialect, target.name, { sourceColumns: seedSourceColumns(project) });
  const diagnostics: Diagnostic[] = [...identifierLengthDiagnostics(project, dialect), ...objects.flatMap((o) => o.diagnostics)];
  if (diagnostics.some((d) => d.severity === 'error')) return { ok: false, diagnostics };
  return { ok: true, value: { dialect: dialect.name, objects }, warnings: diagnostics };
}

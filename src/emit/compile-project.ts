import type { Dialect } from '../dialects/dialect.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Project } from '../ir/types.js';
import { metaTablesOf } from '../managed/meta-tables.js';
import { chainHeadTableName, logTableName, stateTableName } from '../managed/names.js';
import { fingerprintRendered, recordingAliasResolver } from './fingerprint.js';
import { createChainHeadTableSql, createLogTableSql, createMetaTableSql, createStateTableSql } from './ddl.js';
import { formatScript, formatSql } from './format.js';
import { renderModel, type RenderOptions } from './model-sql.js';

/** One compiled object, written by `writeback compile` to `target/compiled/<dialect>/<file>`. */
export interface CompiledObject {
  kind: 'input-log' | 'input-state' | 'input-head' | 'meta' | 'model';
  /** Table or view name. */
  name: string;
  /** Path relative to `target/compiled/<dialect>/`, e.g. `inputs/revenue_forecast.sql`, `models/account_plan.sql`. */
  file: string;
  /** Formatted SQL: the DDL script (statements end with `;`) for tables, the SELECT for models. Empty when it failed. */
  sql: string;
  /** Models only: the version fingerprint (see `fingerprintModel`). */
  fingerprint?: string;
  diagnostics: Diagnostic[];
}

/**
 * Compiles every managed table and model for one dialect and target, offline: refs point at the
 * models' latest aliases. Order: shared meta tables, each input's log, state and chain head (its own
 * table where the dialect keeps one per input), models upstream first.
 */
export function compileProject(project: Project, dialect: Dialect, targetName: string, options: RenderOptions = {}): CompiledObject[] {
  const schema = project.schemas.inputs;
  const out: CompiledObject[] = [];
  for (const meta of metaTablesOf(dialect)) {
    out.push(table('meta', meta.name, `meta/${meta.name}.sql`, formatScript(dialect, createMetaTableSql(dialect, schema, meta))));
  }
  for (const input of Object.values(project.inputs)) {
    const log = logTableName(input.name);
    const state = stateTableName(input.name);
    out.push(table('input-log', log, `inputs/${log}.sql`, formatScript(dialect, createLogTableSql(dialect, schema, input))));
    out.push(table('input-state', state, `inputs/${state}.sql`, formatScript(dialect, createStateTableSql(dialect, schema, input))));
    if (dialect.chainHeads === 'shared') continue;
    const head = chainHeadTableName(input.name);
    out.push(table('input-head', head, `inputs/${head}.sql`, formatScript(dialect, createChainHeadTableSql(dialect, schema, input.name))));
  }
  const fingerprints = new Map<string, string>();
  for (const model of project.models) {
    const file = `models/${model.name}.sql`;
    // one rendering for the SQL and the fingerprint: the fingerprint's resolver points refs at the
    // latest aliases as `latestAliasResolver` does, and records them
    const refs = new Set<string>();
    const rendered = renderModel(project, model, dialect, targetName, recordingAliasResolver(project, refs), options);
    if (!rendered.ok) {
      out.push({ kind: 'model', name: model.name, file, sql: '', diagnostics: rendered.diagnostics });
      continue;
    }
    const fp = fingerprintRendered(model, dialect, rendered, refs, fingerprints);
    if (fp.ok) fingerprints.set(model.name, fp.value);
    out.push({
      kind: 'model',
      name: model.name,
      file,
      sql: `${formatSql(dialect, rendered.value)}\n`,
      ...(fp.ok ? { fingerprint: fp.value } : {}),
      diagnostics: [...rendered.warnings, ...(fp.ok ? [] : fp.diagnostics)],
    });
  }
  return out;
}

function table(kind: CompiledObject['kind'], name: string, file: string, sql: string): CompiledObject {
  return { kind, name, file, sql, diagnostics: [] };
}

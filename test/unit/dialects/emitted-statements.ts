import { historyViewName, byScenarioViewName, chainHeadTableName, logTableName, stateTableName, archiveLogName, versionViewName, LEGACY_CHAIN_HEADS_TABLE, CHAIN_HEADS_TABLE } from '../../../src/managed/names.js';
import { historyViewSql } from '../../../src/emit/history-view.js';
import type { Dialect } from '../../../src/dialects/dialect.js';
import type { SqlValue } from '../../../src/adapters/adapter.js';
import { operationStatements } from '../../../src/apply/operation-sql.js';
import { dropColumnSql } from '../../../src/emit/ddl.js';
import { hasByScenarioView, renderByScenario } from '../../../src/emit/model-by-scenario.js';
import { renderSqlByScenario, sqlModelHasByScenarioView } from '../../../src/emit/model-sql-by-scenario.js';
import { renderModel } from '../../../src/emit/model-sql.js';
import { logColumns, STATE_KEY_COLUMN, stateKeySourceColumns, stateTableColumns, stateTablePrimaryKey } from '../../../src/managed/tables.js';
import { META_TABLES, metaTablesOf } from '../../../src/managed/meta-tables.js';
import { type Operation } from '../../../src/plan/operation.js';
import type { Project } from '../../../src/ir/types.js';
import type { CompiledObject } from '../../../src/emit/compile-project.js';
import { seedSourceColumns } from '../../../src/seeds/seed-columns.js';

/** One SQL statement the compiler emits, with where it came from (for test names). */
export interface EmittedStatement {
  origin: string;
  sql: string;
  /** The values an apply statement binds (its registry rows, a chain head's time). */
  params?: SqlValue[];
}

const base = { description: '', destructive: false };

/** Every operation kind `apply` can run (except `load-seed`, which belongs to a warehouse's seed loader), for every input and model. */
export function everyOperation(project: Project, dialect: Dialect): Operation[] {
  const schema = project.schemas.inputs;
  const views = project.schemas.views;
  const ops: Operation[] = [{ ...base, kind: 'create-schema', schema }, { ...base, kind: 'create-schema', schema: views }];
  for (const meta of metaTablesOf(dialect)) {
    ops.push({ ...base, kind: 'create-meta-table', table: { schema, name: meta.name }, columns: meta.columns, primaryKey: meta.primaryKey ?? [] });
  }
  const [firstMeta] = META_TABLES;
  if (firstMeta) {
    ops.push({ ...base, kind: 'add-meta-column', table: { schema, name: firstMeta.name }, column: { name: 'note', type: { kind: 'system', type: 'string' }, nullable: true, description: '' } });
  }
  for (const input of Object.values(project.inputs)) {
    const log = { schema, name: logTableName(input.name) };
    const state = { schema, name: stateTableName(input.name) };
    ops.push({ ...base, kind: 'create-input-tables', input: input.name, log: { ...log, columns: logColumns(input) }, state: { ...state, columns: stateTableColumns(input, dialect), key: stateTablePrimaryKey(input, dialect) } });
    // the head in its own table, or as a row of the shared one (replacing a row, and moving the head out of an earlier version's own table)
    const own = { schema, name: chainHeadTableName(input.name) };
    const shared = dialect.chainHeads === 'shared';
    const head = shared ? { schema, name: CHAIN_HEADS_TABLE } : own;
    if (shared) ops.push({ ...base, kind: 'create-chain-head', input: input.name, table: head, log, replace: true, newLog: true, legacy: own });
    ops.push({ ...base, kind: 'create-chain-head', input: input.name, table: head, log, replace: true, ...(shared ? { legacy: own } : {}) });
    ops.push({ ...base, kind: 'add-input-column', input: input.name, column: { name: 'added', type: { kind: 'decimal', precision: 38, scale: 10 }, nullable: true, description: '' }, tables: [log, state] });
    const dropped = input.columns.find((c) => !input.key.includes(c.name));
    const derivedKey = dialect.stateKeyColumn ? { derivedKey: { column: STATE_KEY_COLUMN.name, from: stateKeySourceColumns(input) } } : {};
    const copied = (columns: { name: string }[]) => columns.map((c) => c.name).filter((c) => c !== STATE_KEY_COLUMN.name);
    if (dropped) {
      const columns = stateTableColumns(input, dialect).filter((c) => c.name !== dropped.name);
      ops.push({ ...base, kind: 'drop-input-column', input: input.name, columns: [dropped.name], table: state, rebuild: { columns, key: stateTablePrimaryKey(input, dialect), copied: copied(columns), ...derivedKey } });
    }
    if (dialect.stateKeyColumn) {
      const columns = stateTableColumns(input, dialect);
      ops.push({ ...base, kind: 'rebuild-state-table', input: input.name, table: state, rebuild: { columns, key: stateTablePrimaryKey(input, dialect), copied: copied(columns), ...derivedKey } });
    }
    const at = new Date('2026-11-30T01:00:00Z');
    ops.push({ ...base, kind: 'archive-input-table', input: input.name, log, archiveName: archiveLogName(input.name, at), state, head: own, ...(shared ? { sharedHead: head } : {}), dropViews: [{ schema: views, name: 'some_model' }] });
  }
  ops.push({ ...base, kind: 'drop-legacy-chain-heads', table: { schema, name: LEGACY_CHAIN_HEADS_TABLE } });
  const pinned = (model: string) => ({ schema: views, name: versionViewName(model, 1) });
  for (const model of project.models) {
    const rendered = renderModel(project, model, dialect, project.defaultTarget, pinned, { sourceColumns: seedSourceColumns(project) });
    if (!rendered.ok) throw new Error(`model ${model.name} does not render: ${rendered.diagnostics.map((d) => d.message).join('; ')}`);
    ops.push({ ...base, kind: 'create-model-version', model: model.name, version: 1, view: pinned(model.name), sql: rendered.value, fingerprint: 'f', record: true });
    ops.push({ ...base, kind: 'point-model-alias', model: model.name, version: 1, alias: { schema: views, name: model.name }, target: pinned(model.name) });
  }
  for (const input of Object.values(project.inputs)) {
    ops.push({ ...base, kind: 'create-managed-view', view: { schema: views, name: historyViewName(input.name) }, sql: historyViewSql(dialect, schema, input) });
  }
  // `<model>__by_scenario` (structured models; SQL models where the dialect has lateral joins)
  for (const model of project.models) {
    const options = { sourceColumns: seedSourceColumns(project) };
    const rendered = hasByScenarioView(project, model)
      ? renderByScenario(project, model, dialect, project.defaultTarget, pinned, options)
      : sqlModelHasByScenarioView(project, model) && dialect.lateralJoins
        ? renderSqlByScenario(project, model, dialect, project.defaultTarget, pinned, options)
        : undefined;
    if (!rendered) continue;
    if (!rendered.ok) throw new Error(`${byScenarioViewName(model.name)} does not render: ${rendered.diagnostics.map((d) => d.message).join('; ')}`);
    ops.push({ ...base, kind: 'create-managed-view', view: { schema: views, name: byScenarioViewName(model.name) }, sql: rendered.value });
  }
  return ops;
}

/** Splits a formatted script (statements end with `;` and a blank line) into statements. */
export function splitScript(script: string): string[] {
  return script.split(/;\n(?:\n|$)/).map((s) => s.trim()).filter((s) => s.length > 0);
}

/**
 * Every statement the compiler emits for a project: the formatted output of `compile` (DDL scripts
 * split, model SELECTs), the DDL helpers `compile` does not use (drop column), and the statements of
 * every `apply` operation (as run).
 */
export function emittedStatements(project: Project, dialect: Dialect, compiled: CompiledObject[]): EmittedStatement[] {
  const out: EmittedStatement[] = [];
  for (const o of compiled) splitScript(o.sql).forEach((sql, i) => out.push({ origin: `compile ${o.file}#${i + 1}`, sql }));
  for (const input of Object.values(project.inputs)) {
    const col = input.columns.at(-1);
    if (col) for (const sql of dropColumnSql(dialect, project.schemas.inputs, stateTableName(input.name), col.name)) out.push({ origin: `drop-column ${input.name}`, sql });
  }
  for (const op of everyOperation(project, dialect)) {
    const name = 'model' in op ? op.model : 'input' in op ? op.input : op.kind === 'create-schema' ? op.schema : op.kind === 'create-managed-view' ? op.view.name : op.table.name;
    operationStatements(dialect, op, { user: 'u', at: new Date(0), metaSchema: project.schemas.inputs }).forEach((s, i) => {
      out.push({ origin: `apply ${op.kind} ${name}#${i + 1}`, sql: s.sql, params: s.params });
    });
  }
  return out;
}

import type { TableInfo } from '../adapters/adapter.js';
import type { Dialect } from '../dialects/dialect.js';
import type { Reporter } from '../diagnostics/reporter.js';
import type { InputTable, Project } from '../ir/types.js';
import { logColumns, logIndexes, STATE_KEY_COLUMN, stateKeySourceColumns, stateTableColumns, stateTablePrimaryKey } from '../managed/tables.js';
import { chainHeadTableName, logTableName, stateTableName, versionViewName } from '../managed/names.js';
import { chainHeadTable } from '../managed/chain-head-row.js';
import { type ManagedColumn } from '../managed/columns.js';
import { type AddInputColumnOp, type CreateChainHeadOp, type Operation, type QualifiedName, type StateRebuild } from './operation.js';
import { sameType } from './same-type.js';
import { tableKey, type WarehouseState } from './warehouse-state.js';

/**
 * Create new input tables (log, state, chain head), add/drop columns of changed ones, give inputs
 * applied by an earlier version their own chain head; removed inputs are handled by `planArchives`.
 */
export function planInputs(project: Project, state: WarehouseState, dialect: Dialect, allowDestructive: boolean, report: Reporter): Operation[] {
  const schema = project.schemas.inputs;
  const ops: Operation[] = [];
  for (const input of Object.values(project.inputs)) {
    const log = state.tables.get(tableKey(schema, logTableName(input.name)));
    const current = state.tables.get(tableKey(schema, stateTableName(input.name)));
    if (!log && !current) {
      ops.push({
        kind: 'create-input-tables',
        description: `create input table ${input.name} (${schema}.${logTableName(input.name)} and ${schema}.${stateTableName(input.name)})`,
        destructive: false,
        input: input.name,
        log: { schema, name: logTableName(input.name), columns: logColumns(input), ...(dialect.logIndexes ? { indexes: logIndexes(input) } : {}) },
        state: { schema, name: stateTableName(input.name), columns: stateTableColumns(input, dialect), key: stateTablePrimaryKey(input, dialect) },
      });
      ops.push(chainHeadOp(schema, input.name, state, dialect, true));
      continue;
    }
    if (!log || !current || log.kind !== 'table' || current.kind !== 'table') {
      const missing = !log ? logTableName(input.name) : stateTableName(input.name);
      report.error('input-table-incomplete', { input: input.name, table: `${schema}.${missing}` }, input.loc);
      continue;
    }
    // no head yet; or, where heads are shared, a row and a `<t>__head` both (an earlier version applied after this one): the log decides
    const ownHead = state.tables.has(tableKey(schema, chainHeadTableName(input.name)));
    if (!hasChainHead(schema, input.name, state, dialect) || (dialect.chainHeads === 'shared' && ownHead)) ops.push(chainHeadOp(schema, input.name, state, dialect, false));
    diffColumns(input, log, current, dialect, allowDestructive, ops, report);
    ops.push(...missingLogIndexes(input, log, dialect));
    const drop = ops.find((op) => op.kind === 'drop-input-column' && op.input === input.name);
    if (drop?.kind === 'drop-input-column') warnBrokenVersions(project, state, dialect, drop.table, drop.columns, report);
  }
  return ops;
}

/** Whether `input`'s chain head exists where the dialect keeps it: its own `<t>__head`, or its row of `_wb_heads`. */
function hasChainHead(schema: string, input: string, state: WarehouseState, dialect: Dialect): boolean {
  return dialect.chainHeads === 'shared' ? state.heads.has(input) : state.tables.has(tableKey(schema, chainHeadTableName(input)));
}

/**
 * The chain head of an input: for a new log (0, ''), replacing a head its name left behind; else
 * seeded from the log, or moved as it is from the `<t>__head` an earlier version kept where heads
 * are now shared — unless the shared table has a row too (written by this version before an earlier
 * one applied again): then neither is trusted, the row is seeded from the log again and the table dropped.
 */
function chainHeadOp(schema: string, input: string, state: WarehouseState, dialect: Dialect, newLog: boolean): CreateChainHeadOp {
  const own = { schema, name: chainHeadTableName(input) };
  const table = chainHeadTable(dialect, schema, input);
  const log = { schema, name: logTableName(input) };
  const legacy = dialect.chainHeads === 'shared' && state.tables.has(tableKey(schema, own.name)) ? own : undefined;
  const replace = hasChainHead(schema, input, state, dialect);
  const from = newLog ? 'a new log' : legacy && !replace ? `moved from ${schema}.${own.name}` : `from the last entry of ${schema}.${log.name}`;
  return {
    kind: 'create-chain-head',
    description:
      dialect.chainHeads === 'shared'
        ? `create the chain head of ${input} in ${schema}.${table.name} (${from}${legacy && replace && !newLog ? `, replacing its row; drop ${schema}.${own.name}, left by an earlier version` : ''})`
        : `create chain head ${schema}.${table.name} (from the last entry of ${schema}.${log.name})`,
    destructive: false,
    input,
    table,
    log,
    replace,
    ...(newLog ? { newLog } : {}),
    ...(legacy ? { legacy } : {}),
  };
}

/** A warning per existing model version whose SQL reads a column about to be dropped (it will fail when queried). */
function warnBrokenVersions(project: Project, state: WarehouseState, dialect: Dialect, table: QualifiedName, columns: string[], report: Reporter): void {
  const tableSql = dialect.qualify(table.schema, table.name);
  for (const v of state.versions) {
    const view = versionViewName(v.model, v.version);
    if (!state.tables.has(tableKey(project.schemas.views, view)) || !v.sql.includes(tableSql)) continue;
    const read = columns.filter((c) => v.sql.includes(dialect.quoteIdent(c)));
    if (read.length === 0) continue;
    report.warn('old-version-reads-dropped-column', { view: `${project.schemas.views}.${view}`, columns: read, table: `${table.schema}.${table.name}` });
  }
}

function diffColumns(
  input: InputTable,
  log: TableInfo,
  current: TableInfo,
  dialect: Dialect,
  allowDestructive: boolean,
  ops: Operation[],
  report: Reporter,
): void {
  const logHas = new Map(log.columns.map((c) => [c.name, c.dataType]));
  const stateHas = new Map(current.columns.map((c) => [c.name, c.dataType]));
  const locOf = (name: string) => input.columns.find((c) => c.name === name)?.loc ?? input.loc;
  const adds = new Map<string, AddInputColumnOp>();
  const want = (table: TableInfo, has: Map<string, string>, columns: ManagedColumn[]) => {
    for (const column of columns) {
      const reported = has.get(column.name);
      const declared = dialect.columnType(column.type);
      if (reported === undefined) {
        const op = adds.get(column.name) ?? addOp(input.name, column);
        op.tables.push(qualified(table));
        adds.set(column.name, op);
      } else if (!sameType(declared, reported)) {
        report.error('column-type-change', { input: input.name, column: column.name, table: `${table.schema}.${table.name}`, reported, declared }, locOf(column.name));
      }
    }
  };
  // `_key` is never added in place: a state table without it is rebuilt (below)
  const physical = stateTableColumns(input, dialect);
  const keyColumn = dialect.stateKeyColumn ? STATE_KEY_COLUMN.name : undefined;
  want(log, logHas, logColumns(input));
  want(current, stateHas, physical.filter((c) => c.name !== keyColumn));
  for (const op of adds.values()) {
    op.description = `add column ${op.column.name} to ${op.tables.map((t) => `${t.schema}.${t.name}`).join(' and ')} (existing rows keep their values)`;
    ops.push(op);
  }
  // Columns no longer declared: dropped from the state only; the log keeps them (logs never lose data).
  const declared = new Set(physical.map((c) => c.name));
  const removed = current.columns.map((c) => c.name).filter((name) => !declared.has(name));
  const rebuild: StateRebuild = {
    columns: physical,
    key: stateTablePrimaryKey(input, dialect),
    copied: physical.filter((c) => c.name !== keyColumn && stateHas.has(c.name)).map((c) => c.name),
    ...(keyColumn ? { derivedKey: { column: keyColumn, from: stateKeySourceColumns(input) } } : {}),
  };
  if (removed.length === 0) {
    if (keyColumn && !stateHas.has(keyColumn))
      ops.push({
        kind: 'rebuild-state-table',
        description: `rebuild ${current.schema}.${current.name} keyed by ${keyColumn} (scenario and key as one column, found by index; every row kept)`,
        destructive: false,
        input: input.name,
        table: qualified(current),
        rebuild,
      });
    return;
  }
  if (!allowDestructive) {
    report.error('destructive-change-refused', { input: input.name, columns: removed, table: `${current.schema}.${current.name}` }, input.loc);
    return;
  }
  ops.push({
    kind: 'drop-input-column',
    description: `drop column${removed.length > 1 ? 's' : ''} ${removed.join(', ')} from ${current.schema}.${current.name} (DESTRUCTIVE; ${log.schema}.${log.name} keeps the values)`,
    destructive: true,
    input: input.name,
    columns: removed,
    table: qualified(current),
    rebuild,
  });
}

/** The indexes of `logIndexes` an existing log lacks (when the adapter reports indexes and the dialect has them). */
function missingLogIndexes(input: InputTable, log: TableInfo, dialect: Dialect): Operation[] {
  if (!dialect.logIndexes || log.indexes === undefined) return [];
  const has = new Set(log.indexes.map((columns) => columns.join('\u0000')));
  return logIndexes(input)
    .filter((columns) => !has.has(columns.join('\u0000')))
    .map((columns) => ({
      kind: 'create-log-index' as const,
      description: `create index on ${log.schema}.${log.name} (${columns.join(', ')}) (locks writes to ${input.name} while it is built)`,
      destructive: false,
      input: input.name,
      table: qualified(log),
      columns,
    }));
}

function addOp(input: string, column: ManagedColumn): AddInputColumnOp {
  return { kind: 'add-input-column', description: '', destructive: false, input, column, tables: [] };
}

function qualified(t: TableInfo): QualifiedName {
  return { schema: t.schema, name: t.name };
}

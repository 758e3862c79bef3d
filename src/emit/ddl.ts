import type { Dialect, TableLayout } from '../dialects/dialect.js';
import type { InputTable } from '../ir/types.js';
import { logColumns, stateKeySourceColumns, stateTableColumns, stateTablePrimaryKey } from '../managed/tables.js';
import { chainHeadTableName, logTableName, stateTableName } from '../managed/names.js';
import { chainHeadRow } from '../managed/chain-head-row.js';
import { CHAIN_HEAD_COLUMNS } from '../managed/meta-tables.js';
import { type ManagedColumn, type MetaTable } from '../managed/columns.js';
import { logTableLayout, metaTableLayout } from '../managed/table-layout.js';

/**
 * DDL text for one dialect. Every function returns the statements to run, in order
 * (one for most dialects; a dialect flag may add a statement, e.g. drop before re-creating a view).
 * Statements carry no trailing `;`. Names are project identifiers, quoted by the dialect.
 */

/** Options of `createTableSql`. */
export interface CreateTableOptions {
  /** Columns of the table's unique key; written as a primary key when the dialect has them. */
  primaryKey?: string[];
  /** `create table if not exists` (default false: the plan knows what exists). */
  ifNotExists?: boolean;
  /** How the table grows (src/managed/table-layout.ts), for dialects that partition or cluster by it. */
  layout?: TableLayout;
}

/** `create schema if not exists <schema>`. */
export function createSchemaSql(dialect: Dialect, schema: string): string[] {
  return [`create schema if not exists ${dialect.quoteIdent(schema)}`];
}

/** `"name" TYPE [not null]`. */
export function columnDefinitionSql(dialect: Dialect, column: ManagedColumn): string {
  const notNull = column.nullable ? '' : ' not null';
  return `${dialect.quoteIdent(column.name)} ${dialect.columnType(column.type)}${notNull}`;
}

/** `create table <schema>.<table> (columns[, primary key (…)])`. */
export function createTableSql(
  dialect: Dialect,
  schema: string,
  table: string,
  columns: ManagedColumn[],
  options: CreateTableOptions = {},
): string[] {
  const parts = columns.map((c) => columnDefinitionSql(dialect, c));
  const key = options.primaryKey ?? [];
  if (key.length > 0 && dialect.primaryKeys !== 'none') {
    const enforced = dialect.primaryKeys === 'not-enforced' ? ' not enforced' : '';
    parts.push(`primary key (${key.map((k) => dialect.quoteIdent(k)).join(', ')})${enforced}`);
  }
  const ifNotExists = options.ifNotExists ? 'if not exists ' : '';
  const layout = options.layout ? dialect.tableLayoutSql(options.layout) : '';
  return [`create table ${ifNotExists}${dialect.qualify(schema, table)} (${parts.join(', ')})${layout}`];
}

/** The append-only log table `<t>__log` of an input (no key: appends stay cheap; ids are unique by construction). */
export function createLogTableSql(dialect: Dialect, schema: string, input: InputTable): string[] {
  return createTableSql(dialect, schema, logTableName(input.name), logColumns(input), { layout: logTableLayout(logColumns(input), stateKeySourceColumns(input)) });
}

/** The current-state table `<t>` of an input, keyed by (`_scenario`, key columns), or by `_key` where the dialect has `stateKeyColumn`. */
export function createStateTableSql(dialect: Dialect, schema: string, input: InputTable): string[] {
  return createTableSql(dialect, schema, stateTableName(input.name), stateTableColumns(input, dialect), {
    primaryKey: stateTablePrimaryKey(input, dialect),
  });
}

/** The one-row chain-head table `<t>__head` of an input, on dialects that keep one per input (filled by {@link seedChainHeadSql}). */
export function createChainHeadTableSql(dialect: Dialect, schema: string, input: string): string[] {
  return createTableSql(dialect, schema, chainHeadTableName(input), CHAIN_HEAD_COLUMNS);
}

/** A statement with the values it binds, in parameter order. */
export interface BoundSql {
  sql: string;
  params: (string | Date)[];
}

/** `insert into <head table> (<input name column>, seq, head, updated_at)` for `input`, and the input's name to bind first where the table is shared. */
function insertHead(dialect: Dialect, schema: string, input: string): { into: string; name: string[]; params: string[] } {
  const q = (c: string) => dialect.quoteIdent(c);
  const at = chainHeadRow(dialect, schema, input);
  const columns = [...(at.nameColumn ? [at.nameColumn] : []), q('seq'), q('head'), q('updated_at')];
  return { into: `insert into ${at.table} (${columns.join(', ')})`, name: at.nameColumn ? [castParam(dialect, 1, 'string')] : [], params: at.params };
}

/** Parameter `index` cast to a system type: in a select list nothing else gives it one (Snowflake binds instants as text). */
const castParam = (dialect: Dialect, index: number, type: 'string' | 'timestamp') => `cast(${dialect.param(index)} as ${dialect.columnType({ kind: 'system', type })})`;

/**
 * Insert `input`'s chain head from its log: its last entry's `_seq` and `_hash`, or (0, '') for an
 * empty log, at `at`. (Two entries with the last `_seq` would give two rows, which every writer
 * refuses — or, in the shared table, the insert: a log corrupted outside writeback is not written on.)
 */
export function seedChainHeadSql(dialect: Dialect, schema: string, input: string, at: Date): BoundSql {
  const q = (c: string) => dialect.quoteIdent(c);
  const log = dialect.qualify(schema, logTableName(input));
  const head = insertHead(dialect, schema, input);
  const stamp = castParam(dialect, head.params.length + 1, 'timestamp');
  return {
    sql:
      `${head.into} select ${[...head.name, `coalesce(m.${q('last_seq')}, 0)`, `coalesce(l.${q('_hash')}, '')`, stamp].join(', ')} ` +
      `from (select max(${q('_seq')}) as ${q('last_seq')} from ${log}) m left join ${log} l on l.${q('_seq')} = m.${q('last_seq')}`,
    params: [...head.params, at],
  };
}

/** Insert the chain head of a new input: (0, '') — its log was created empty by the same apply. */
export function emptyChainHeadSql(dialect: Dialect, schema: string, input: string, at: Date): BoundSql {
  const head = insertHead(dialect, schema, input);
  return { sql: `${head.into} values (${[...head.name, '0', "''", castParam(dialect, head.params.length + 1, 'timestamp')].join(', ')})`, params: [...head.params, at] };
}

/**
 * The chain heads of many new inputs in one statement per 500, where they share one table
 * (`Dialect.chainHeads: 'shared'`): parameter 1 is `updated_at`, then one input name per row.
 */
export function emptyChainHeadsSql(dialect: Dialect, schema: string, inputs: readonly string[], at: Date): BoundSql[] {
  if (dialect.chainHeads !== 'shared') throw new Error('emptyChainHeadsSql: the chain heads of this dialect are tables of their own');
  const statements: BoundSql[] = [];
  for (let start = 0; start < inputs.length; start += 500) {
    const chunk = inputs.slice(start, start + 500);
    const head = insertHead(dialect, schema, chunk[0]!);
    const stamp = castParam(dialect, 1, 'timestamp');
    const rows = chunk.map((_, i) => `(${castParam(dialect, i + 2, 'string')}, 0, '', ${stamp})`);
    statements.push({ sql: `${head.into} values ${rows.join(', ')}`, params: [at, ...chunk] });
  }
  return statements;
}

/**
 * Move the head of an input applied by an earlier version out of its own `<t>__head` into the
 * shared table (as it is: a head that disagrees with its log stays for `verify` to report), then
 * drop that table.
 */
export function moveChainHeadSql(dialect: Dialect, schema: string, input: string): BoundSql[] {
  const q = (c: string) => dialect.quoteIdent(c);
  const head = insertHead(dialect, schema, input);
  return [
    { sql: `${head.into} select ${[...head.name, q('seq'), q('head'), q('updated_at')].join(', ')} from ${dialect.qualify(schema, chainHeadTableName(input))}`, params: head.params },
    ...dropTableSql(dialect, schema, chainHeadTableName(input)).map((sql) => ({ sql, params: [] })),
  ];
}

/** Remove `input`'s row from the shared chain-head table (an archived input, or a new input reusing a name). */
export function deleteChainHeadSql(dialect: Dialect, schema: string, input: string): BoundSql {
  const at = chainHeadRow(dialect, schema, input);
  if (!at.where) throw new Error('deleteChainHeadSql: this dialect keeps each chain head in a table of its own (drop it)');
  return { sql: `delete from ${at.table} where ${at.where}`, params: at.params };
}

/** A shared `_wb_*` table, `if not exists` (several processes may race to create it). */
export function createMetaTableSql(dialect: Dialect, schema: string, meta: MetaTable): string[] {
  return createTableSql(dialect, schema, meta.name, meta.columns, { primaryKey: meta.primaryKey ?? [], ifNotExists: true, layout: metaTableLayout(meta.name) });
}

/** `create index on <schema>.<table> (columns)`; the warehouse names it (Postgres: unique within the schema, so an archived log's indexes never collide). */
export function createIndexSql(dialect: Dialect, schema: string, table: string, columns: string[]): string[] {
  return [`create index on ${dialect.qualify(schema, table)} (${columns.map((c) => dialect.quoteIdent(c)).join(', ')})`];
}

/** `alter table … add column …` (existing rows get null). */
export function addColumnSql(dialect: Dialect, schema: string, table: string, column: ManagedColumn): string[] {
  return [`alter table ${dialect.qualify(schema, table)} add column ${columnDefinitionSql(dialect, column)}`];
}

/** `alter table … drop column …` (destructive: the plan asks first). */
export function dropColumnSql(dialect: Dialect, schema: string, table: string, column: string): string[] {
  return [`alter table ${dialect.qualify(schema, table)} drop column ${dialect.quoteIdent(column)}`];
}

/** Rename a table inside its schema. */
export function renameTableSql(dialect: Dialect, schema: string, table: string, newName: string): string[] {
  const to = dialect.renameToQualified ? dialect.qualify(schema, newName) : dialect.quoteIdent(newName);
  return [`alter table ${dialect.qualify(schema, table)} rename to ${to}`];
}

/** `drop table [if exists] …` (destructive: the plan asks first; logs are never dropped). */
export function dropTableSql(dialect: Dialect, schema: string, table: string, options: { ifExists?: boolean } = {}): string[] {
  return [`drop table ${options.ifExists ? 'if exists ' : ''}${dialect.qualify(schema, table)}`];
}

/** Create or replace a view; dialects whose `create or replace` cannot change columns drop it first. */
export function createViewSql(dialect: Dialect, schema: string, name: string, selectSql: string): string[] {
  const view = dialect.qualify(schema, name);
  if (dialect.replaceViewChangesColumns) return [`create or replace view ${view}${dialect.replaceViewCopiesGrants ? ' copy grants' : ''} as\n${selectSql}`];
  return [...dropViewSql(dialect, schema, name, { ifExists: true }), `create view ${view} as\n${selectSql}`];
}

/** `drop view [if exists] …`. */
export function dropViewSql(dialect: Dialect, schema: string, name: string, options: { ifExists?: boolean } = {}): string[] {
  return [`drop view ${options.ifExists ? 'if exists ' : ''}${dialect.qualify(schema, name)}`];
}

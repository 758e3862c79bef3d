import type { Dialect, TableLayout } from '../dialects/dialect.js';
import type { InputTable } from '../ir/types.js';
import { logColumns, stateKeySourceColumns, stateTableColumns, stateTablePrimaryKey } from '../managed/tables.js';
import { chainHeadTableName, logTableName, stateTableName } from '../managed/names.js';
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

/** The one-row chain-head table `<t>__head` of an input (filled by {@link seedChainHeadSql}). */
export function createChainHeadTableSql(dialect: Dialect, schema: string, input: string): string[] {
  return createTableSql(dialect, schema, chainHeadTableName(input), CHAIN_HEAD_COLUMNS);
}

/**
 * Insert the one row of `<t>__head` from the log: its last entry's `_seq` and `_hash`, or (0, '')
 * for an empty log. Parameter 1 is `updated_at`. (Two entries with the last `_seq` would give two
 * rows, which every writer refuses: a log corrupted outside writeback is not written on.) The
 * parameter is cast: in a select list nothing else gives it a type (Snowflake binds instants as text).
 */
export function seedChainHeadSql(dialect: Dialect, schema: string, input: string): string {
  const q = (c: string) => dialect.quoteIdent(c);
  const log = dialect.qualify(schema, logTableName(input));
  const at = `cast(${dialect.param(1)} as ${dialect.columnType({ kind: 'system', type: 'timestamp' })})`;
  return (
    `insert into ${dialect.qualify(schema, chainHeadTableName(input))} (${q('seq')}, ${q('head')}, ${q('updated_at')}) ` +
    `select coalesce(m.${q('last_seq')}, 0), coalesce(l.${q('_hash')}, ''), ${at} ` +
    `from (select max(${q('_seq')}) as ${q('last_seq')} from ${log}) m left join ${log} l on l.${q('_seq')} = m.${q('last_seq')}`
  );
}

/** Insert the one row of a new input's `<t>__head`: (0, '') — its log was created empty by the same apply. Parameter 1 is `updated_at`. */
export function emptyChainHeadSql(dialect: Dialect, schema: string, input: string): string {
  const q = (c: string) => dialect.quoteIdent(c);
  const at = `cast(${dialect.param(1)} as ${dialect.columnType({ kind: 'system', type: 'timestamp' })})`;
  return `insert into ${dialect.qualify(schema, chainHeadTableName(input))} (${q('seq')}, ${q('head')}, ${q('updated_at')}) values (0, '', ${at})`;
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

import type { DuckDBConnection } from '@duckdb/node-api';
import { canAppendBulk, type Adapter, type BulkColumn, type BulkKind, type SqlValue } from '../adapters/adapter.js';
import type { ManagedColumn } from '../managed/columns.js';

/**
 * A staging value: canonical text for user columns, numbers for bigint system columns,
 * booleans, and epoch milliseconds (number) for timestamp system columns.
 */
export type StageValue = string | number | boolean | null;

/** A wrapper that exposes only DuckDB's connection (tests wrap the adapter this way). */
type RawCapable = Adapter & { readonly raw: DuckDBConnection };

function hasRawConnection(adapter: Adapter): adapter is RawCapable {
  const raw = (adapter as { raw?: unknown }).raw;
  return typeof raw === 'object' && raw !== null && typeof (raw as { createAppender?: unknown }).createAppender === 'function';
}

type Kind = BulkKind;

function kindOf(col: ManagedColumn): Kind {
  const t = col.type;
  if (t.kind === 'system') {
    if (t.type === 'bigint' || t.type === 'integer') return 'bigint';
    if (t.type === 'boolean') return 'boolean';
    if (t.type === 'timestamp') return 'timestamp-ms';
    return 'varchar';
  }
  if (t.kind === 'integer') return 'bigint';
  if (t.kind === 'number') return 'double';
  if (t.kind === 'boolean') return 'boolean';
  if (t.kind === 'timestamp') return 'timestamp-iso';
  return 'varchar';
}

/** `create temporary table` of a staging table with these columns (run once per connection, outside a transaction). */
export function createStageTableSql(adapter: Adapter, name: string, columns: ManagedColumn[]): string {
  const d = adapter.dialect;
  const cols = columns.map((c) => `${d.quoteIdent(c.name)} ${d.columnType(c.type)}`).join(', ');
  return `create temporary table ${d.quoteIdent(name)} (${cols})`;
}

/** Rows to append, read by (row, column) so the bulk path allocates no per-row arrays. */
export interface RowSource {
  count: number;
  value(row: number, col: number): StageValue;
}

/** A RowSource over arrays. */
export function arrayRows(rows: StageValue[][]): RowSource {
  return { count: rows.length, value: (r, c) => rows[r]![c] ?? null };
}

/** Where rows go: a table in a schema, or a temporary table (no schema). */
export interface AppendTarget {
  schema?: string;
  table: string;
}

/** Empty a temporary staging table and fill it with `rows` (one array per row, or a RowSource, in `columns` order). */
export async function stageRows(adapter: Adapter, name: string, columns: ManagedColumn[], rows: StageValue[][] | RowSource): Promise<void> {
  await adapter.execute(`delete from ${adapter.dialect.quoteIdent(name)} where true`); // BigQuery requires a WHERE
  await appendRows(adapter, { table: name }, columns, Array.isArray(rows) ? arrayRows(rows) : rows);
}

/**
 * Append rows to a table whose columns are exactly `columns` (in physical order), inside the
 * caller's transaction: the adapter's bulk path when it has one (DuckDB: the Appender), else multi-row INSERTs with bound parameters.
 */
export async function appendRows(adapter: Adapter, target: AppendTarget, columns: ManagedColumn[], rows: RowSource): Promise<void> {
  if (rows.count === 0) return;
  const kinds = columns.map(kindOf);
  if (canAppendBulk(adapter)) {
    const bulk: BulkColumn[] = columns.map((c, i) => ({ name: c.name, kind: kinds[i]!, sqlType: adapter.dialect.columnType(c.type) }));
    await adapter.appendBulk(target, bulk, rows);
  }
  else if (hasRawConnection(adapter)) await (await import('../adapters/duckdb/duckdb-bulk-append.js')).appendWithAppender(adapter.raw, target, kinds, rows);
  else await insertAll(adapter, target, columns, kinds, rows);
}

function toSqlValue(kind: Kind, v: StageValue): SqlValue {
  if (v === null) return null;
  if (kind === 'timestamp-ms') return new Date(v as number);
  if (kind === 'timestamp-iso') return new Date(v as string);
  if (kind === 'boolean') return v === true || v === 'true';
  if (kind === 'bigint') return BigInt(v as number | string);
  if (kind === 'double') return Number(v);
  return String(v);
}

/** The portable path: multi-row INSERT … VALUES with bound, cast parameters, in chunks. */
async function insertAll(adapter: Adapter, target: AppendTarget, columns: ManagedColumn[], kinds: Kind[], rows: RowSource): Promise<void> {
  const d = adapter.dialect;
  const name = target.schema ? d.qualify(target.schema, target.table) : d.quoteIdent(target.table);
  const perChunk = Math.max(1, Math.floor(2000 / columns.length));
  for (let start = 0; start < rows.count; start += perChunk) {
    const params: SqlValue[] = [];
    const tuples: string[] = [];
    for (let r = start; r < Math.min(rows.count, start + perChunk); r++) {
      const cells = columns.map((c, i) => {
        params.push(toSqlValue(kinds[i]!, rows.value(r, i)));
        return `cast(${d.param(params.length)} as ${d.columnType(c.type)})`;
      });
      tuples.push(`(${cells.join(', ')})`);
    }
    await adapter.execute(`insert into ${name} (${columns.map((c) => d.quoteIdent(c.name)).join(', ')}) values ${tuples.join(', ')}`, params);
  }
}

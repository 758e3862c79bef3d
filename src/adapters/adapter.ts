import type { Dialect } from '../dialects/dialect.js';
import type { SqlValue } from '../dialects/sql-value.js';

export type { SqlValue };

/** One row as plain JS values (decimals as strings, timestamps as Date, BIGINT as bigint when beyond 2^53). */
export type Row = Record<string, unknown>;

/** Columns discovered in the warehouse for one table. */
export interface TableInfo {
  schema: string;
  name: string;
  kind: 'table' | 'view';
  columns: { name: string; dataType: string }[];
  /** The key columns of each plain index of a table, in order, where the adapter reads them (Postgres); undefined elsewhere. */
  indexes?: string[][];
}

/**
 * Runs SQL that a dialect produced. Adapters never build SQL from user values:
 * values always arrive as bound parameters (placeholders in the dialect's style).
 * Failures a caller can act on are thrown as `WarehouseError` (warehouse-error.ts) with a kind;
 * configuration problems as `UsageError`; anything else as the SDK threw it.
 */
export interface Adapter {
  readonly dialect: Dialect;
  /**
   * Which warehouse session the adapter is on, for adapters that open a new one by themselves
   * after the old one was lost or expired: it changes whenever they do, and temporary tables
   * created before are gone. Absent: the adapter's session never changes.
   */
  readonly sessionNumber?: number;
  /** Run a statement for its rows. */
  query<T extends Row = Row>(sql: string, params?: SqlValue[]): Promise<T[]>;
  /** Run a statement for its effect; returns the number of rows changed where the warehouse reports it. */
  execute(sql: string, params?: SqlValue[]): Promise<number>;
  /**
   * Open a transaction on this connection (the warehouse's BEGIN). Use `runTransaction`
   * (run-transaction.ts), which pairs it with commit/rollback and retries; never call it directly.
   */
  begin(): Promise<void>;
  /** Commit the open transaction. A `connection-lost` WarehouseError here leaves its outcome unknown. */
  commit(): Promise<void>;
  /** Roll the open transaction back. */
  rollback(): Promise<void>;
  /**
   * Run parameterless statements in order in one call (one round trip), stopping at the first the
   * warehouse rejects; inside an open transaction where there is one. Optional: where absent, each
   * statement goes through `execute`. The error does not say which statement failed.
   */
  executeScript?(statements: readonly string[]): Promise<void>;
  /** Tables and views (with columns) in the given schemas. */
  describeSchemas(schemas: string[]): Promise<TableInfo[]>;
  /**
   * Tables and views of the given schemas by name and kind only (`columns` empty), for callers that
   * need no columns (a plan, for the views schema). Optional: without it, `describeSchemas` is read.
   */
  listRelations?(schemas: string[]): Promise<TableInfo[]>;
  /** Which of these schemas exist. Optional: without it, `information_schema.schemata` of `current_database()` is read. */
  listSchemas?(names: string[]): Promise<Set<string>>;
  /** View name → definition text of the views in a schema. Optional: without it, `information_schema.views` is read. */
  viewDefinitions?(schema: string): Promise<Map<string, string>>;
  /**
   * Connections for concurrent reads outside transactions (token checks, row reads, history, model
   * reads), e.g. a pool of sessions; the result runs no transactions. Optional: readers get a `fork()`
   * where the adapter has one.
   */
  forkReader?(): Promise<Adapter>;
  close(): Promise<void>;
}

/** A result read chunk by chunk (see {@link StreamingAdapter}). */
export interface RowStream {
  /** Column names of the result, known before the first chunk. */
  readonly columns: string[];
  /** The rows, wire-shaped like `query`'s, a chunk at a time; ends the stream when done or abandoned after its first chunk. */
  chunks(): AsyncGenerator<Row[], void, undefined>;
  /** Release the stream's connection early (safe to call twice); the way to end a stream whose chunks are never read. */
  close(): void;
}

/** Optional power: read a large result without holding it in memory (ask with {@link canStream}). */
export interface StreamingAdapter extends Adapter {
  /** Run `sql` on a dedicated connection and read its rows chunk by chunk. */
  stream(sql: string, params?: SqlValue[]): Promise<RowStream>;
}

/** True when the adapter can stream results. */
export function canStream(adapter: Adapter): adapter is StreamingAdapter {
  return typeof (adapter as Partial<StreamingAdapter>).stream === 'function';
}

/** What {@link ReadQueryAdapter.readQuery} answers: the first rows and the row count, or the warehouse's refusal. */
export type ReadQueryResult =
  | { ok: true; columns: string[]; types: string[]; rows: Row[]; rowCount: number }
  | { ok: false; message: string };

/** Optional power: run one statement the warehouse itself classifies as a read (ask with {@link canReadQuery}). */
export interface ReadQueryAdapter extends Adapter {
  /**
   * Run `sql` if it is exactly one read-only statement, on a connection of its own inside a
   * transaction that is rolled back; convert at most `maxRows` rows (wire-shaped like `query`'s).
   */
  readQuery(sql: string, maxRows: number): Promise<ReadQueryResult>;
}

/** True when the adapter can run a user's read-only statement. */
export function canReadQuery(adapter: Adapter): adapter is ReadQueryAdapter {
  return typeof (adapter as Partial<ReadQueryAdapter>).readQuery === 'function';
}

/**
 * How a bulk column's values arrive: `varchar` (text; the warehouse casts it to the column's type,
 * e.g. DECIMAL or DATE), `bigint` (number or integer text), `double`, `boolean` (true or 'true'),
 * `timestamp-ms` (epoch milliseconds) and `timestamp-iso` (ISO 8601 text).
 */
export type BulkKind = 'varchar' | 'bigint' | 'double' | 'boolean' | 'timestamp-ms' | 'timestamp-iso';

/** A column of a bulk append: its name, how its values arrive, and its type in the warehouse (the dialect's `columnType`). */
export interface BulkColumn {
  readonly name: string;
  readonly kind: BulkKind;
  readonly sqlType: string;
}

/** A value of a bulk row (null/undefined = SQL NULL). */
export type BulkValue = string | number | boolean | null | undefined;

/** Rows read by (row, column), so a caller needs no per-row arrays. */
export interface BulkRows {
  count: number;
  value(row: number, col: number): BulkValue;
}

/** Where rows go: a table in a schema, or a temporary table (no schema). */
export interface BulkTarget {
  schema?: string;
  table: string;
}

/** Optional power: append many rows at once, faster than multi-row INSERTs (ask with {@link canAppendBulk}). */
export interface BulkAppendAdapter extends Adapter {
  /**
   * Append `rows` to a table whose columns are exactly `columns` (in physical order), inside the
   * connection's open transaction when there is one. Values are never spliced into SQL text.
   */
  appendBulk(target: BulkTarget, columns: readonly BulkColumn[], rows: BulkRows): Promise<void>;
}

/** True when the adapter has a bulk append path. */
export function canAppendBulk(adapter: Adapter): adapter is BulkAppendAdapter {
  return typeof (adapter as Partial<BulkAppendAdapter>).appendBulk === 'function';
}

/** A query's result as one array per selected column, in select order (the same values `query` puts in its rows). */
export interface ColumnarResult {
  count: number;
  names: string[];
  columns: unknown[][];
}

/** Optional power: answer a query column by column, without an object per row (ask with {@link canQueryColumns}). */
export interface ColumnQueryAdapter extends Adapter {
  queryColumns(sql: string, params?: SqlValue[]): Promise<ColumnarResult>;
}

/** True when the adapter can answer a query as columns. */
export function canQueryColumns(adapter: Adapter): adapter is ColumnQueryAdapter {
  return typeof (adapter as Partial<ColumnQueryAdapter>).queryColumns === 'function';
}

/**
 * A query's result as columns: the adapter's columnar path when it has one, else its rows taken
 * apart by `names` (the selected columns' names, in select order).
 */
export async function queryColumns(adapter: Adapter, sql: string, params: SqlValue[], names: readonly string[]): Promise<ColumnarResult> {
  if (canQueryColumns(adapter)) return adapter.queryColumns(sql, params);
  const rows = await adapter.query(sql, params);
  return { count: rows.length, names: [...names], columns: names.map((n) => rows.map((r) => r[n])) };
}

import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  DuckDBConnection,
  DuckDBDateValue,
  DuckDBInstance,
  DuckDBMaterializedResult,
  DuckDBPreparedStatement,
  DuckDBTypeId,
  JSDuckDBValueConverter,
  StatementType,
  timestampValue,
  type DuckDBType,
  type DuckDBValue,
  type DuckDBValueConverter,
  type JS,
} from '@duckdb/node-api';
import { plainValue } from '../../dialects/sql-value.js';
import type { Adapter, BulkAppendAdapter, BulkColumn, BulkRows, BulkTarget, ColumnarResult, ColumnQueryAdapter, ReadQueryAdapter, ReadQueryResult, Row, RowStream, SqlValue, StreamingAdapter, TableInfo } from '../adapter.js';
import type { Dialect } from '../../dialects/dialect.js';
import { appendWithAppender } from './duckdb-bulk-append.js';
import { duckdbError, duckdbOpenError } from './duckdb-errors.js';
import { columnArrays, rowObjects } from './duckdb-rows.js';
import { streamError, streamFailed } from './duckdb-stream-end.js';
import { WarehouseError } from '../warehouse-error.js';

/** Options for opening a DuckDB file. */
export interface DuckDBAdapterOptions {
  /** Open read-only (several processes may read one file at once). */
  readOnly?: boolean;
}

/** Results follow the wire rules: decimals as exact strings, dates as `YYYY-MM-DD`, safe integers as numbers. */
const convertValue: DuckDBValueConverter<JS> = (value, type, converter) => {
  switch (type.typeId) {
    case DuckDBTypeId.DECIMAL:
      return value === null ? null : String(value);
    case DuckDBTypeId.DATE:
      if (value === null) return null;
      // DuckDB's text of an infinite date is its largest (smallest) day
      if (value instanceof DuckDBDateValue && Math.abs(value.days) === DuckDBDateValue.PosInf.days) {
        return value.days > 0 ? 'infinity' : '-infinity';
      }
      return String(value);
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_TZ:
    case DuckDBTypeId.TIMESTAMP_S:
    case DuckDBTypeId.TIMESTAMP_MS:
    case DuckDBTypeId.TIMESTAMP_NS:
      return value === null ? null : timestampOf(value, type, converter);
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UBIGINT: {
      if (value === null) return null;
      const n = BigInt(value as bigint);
      return n <= BigInt(Number.MAX_SAFE_INTEGER) && n >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(n) : n.toString();
    }
    default:
      return JSDuckDBValueConverter(value, type, converter);
  }
};

/** The largest count of any timestamp type: ± it is infinity, whatever the unit. */
const INFINITE_TIMESTAMP = 2n ** 63n - 1n;

/**
 * A timestamp as a JS Date; beyond one (infinity, or past the year 275760) as text in the wire's
 * ISO 8601 form with an expanded year — never a failed read, never a wrong instant.
 */
function timestampOf(value: DuckDBValue, type: DuckDBType, converter: DuckDBValueConverter<JS>): JS {
  const v = value as { micros?: bigint; millis?: bigint; seconds?: bigint; nanos?: bigint };
  const count = v.micros ?? v.millis ?? v.seconds ?? v.nanos;
  if (count === INFINITE_TIMESTAMP) return 'infinity';
  if (count === -INFINITE_TIMESTAMP) return '-infinity';
  try {
    return JSDuckDBValueConverter(value, type, converter);
  } catch {
    return expandedIsoTimestamp(String(value));
  }
}

/** DuckDB's text of a timestamp (`290000-01-01[ (BC)] 00:00:00[.f][+00]`) as `+290000-01-01T00:00:00[.f]Z`. */
function expandedIsoTimestamp(text: string): string {
  const m = /^(\d+)-(\d\d)-(\d\d)( \(BC\))? (\d\d:\d\d:\d\d(?:\.\d+)?)(?:\+00(?::?00)?)?$/.exec(text);
  if (!m) return text;
  // 1 BC is the year 0 of ISO 8601
  const year = m[4] ? 1 - Number(m[1]) : Number(m[1]);
  return `${year < 0 ? '-' : '+'}${String(Math.abs(year)).padStart(6, '0')}-${m[2]}-${m[3]}T${m[5]}Z`;
}

/**
 * Block size of the DuckDB files this adapter creates (an existing file keeps its own). DuckDB's
 * default, 256 KiB, gives every table holding a row at least one such block: a project of 1,000
 * inputs had a 383 MB file, most of it the inputs' one-row chain-head tables (since shared, rows of
 * `_wb_heads`: the same project's file 191 → 115 MB), and a checkpoint of ~2.4 s on closing its first apply. 64 KiB: 1,000 one-row tables + 2,000 empty ones 305 → 109 MB,
 * checkpoint 2.4 → 0.9 s; that project's first apply 366 → 179 MB and ~5 s less wall-clock time at load 5–7 (same
 * CPU); a 2,000,000-row table loads and scans within 3 % of 256 KiB (16 KiB: +20 % load, +9 % scan).
 * Measured with @duckdb/node-api 1.5.6.
 */
const NEW_FILE_BLOCK_SIZE = '65536';

/**
 * Storage format of the DuckDB files this adapter creates, and of the files DuckDB creates through
 * it (the BI snapshot); the file records it, so every later session writes it too. An existing
 * file keeps its own. DuckDB writes new files in the v1.0 format unless told otherwise, and there
 * every table, even an empty one, costs ~57 KB of metadata and ~0.6 ms each time the file opens:
 * the logs and state tables of a project's inputs made most of a no-op `apply`. From v1.2.0 an
 * empty 18-column table is ~3 KB: 1,000 of them 57.7 → 2.9 MB and 0.64 → 0.18 s to open; a
 * 1,000-input + 1,000-model warehouse 115 → 22 MB, 1.5 → 0.8 s to open and 1.4 → 0.7 s to
 * checkpoint after its first apply. DuckDB 1.2 and later read such files (checked with
 * @duckdb/node-api 1.2.2 reading a file made by 1.5.6; 1.1.3 refuses it). v1.1.0 is as compact and
 * readable by DuckDB 1.1, but the file does not record it: the next session would write the v1.0
 * format again.
 */
const NEW_FILE_STORAGE_VERSION = 'v1.2.0';

/** Prepared statements kept per connection (most recently used last); the write path repeats a handful of statements. */
const STATEMENT_CACHE_SIZE = 64;
/** Statements that change the catalog: not cached, and they empty the cache (a cached plan may refer to what changed). */
const DDL = /^\s*(create|alter|drop|attach|detach|use|set|pragma|load|install|checkpoint|begin|commit|rollback|copy|export|import)\b/i;

function bind(params: SqlValue[]): DuckDBValue[] {
  return params.map(plainValue).map((p) => (p instanceof Date ? timestampValue(BigInt(p.getTime()) * 1000n) : p));
}

/**
 * Streamed reads open at once on one DuckDB instance (a process's file): each holds a connection
 * and the chunk it computes (~10 MB of native memory for wide rows). One more is a retryable
 * error — 503 with `Retry-After` over HTTP — rather than memory without bound.
 */
export const MAX_STREAMS = 16;
const openStreams = new WeakMap<DuckDBInstance, number>();

/** A DuckDB file (or `:memory:`), through `@duckdb/node-api`. */
export class DuckDBAdapter implements StreamingAdapter, ReadQueryAdapter, BulkAppendAdapter, ColumnQueryAdapter {
  private readonly statements = new Map<string, DuckDBPreparedStatement>();
  private readonly busy = new Set<DuckDBPreparedStatement>();

  private constructor(
    readonly dialect: Dialect,
    private readonly instance: DuckDBInstance | undefined,
    private readonly connection: DuckDBConnection,
    /** The instance this adapter's connection belongs to (a fork's too): streams read on connections of their own. */
    private readonly home: DuckDBInstance,
  ) {}

  static async open(path: string, dialect: Dialect, options: DuckDBAdapterOptions = {}): Promise<DuckDBAdapter> {
    if (path !== ':memory:' && !options.readOnly) mkdirSync(dirname(path), { recursive: true });
    let instance: DuckDBInstance;
    try {
      instance = await DuckDBInstance.create(path, options.readOnly ? { access_mode: 'READ_ONLY' } : { default_block_size: NEW_FILE_BLOCK_SIZE, storage_compatibility_version: NEW_FILE_STORAGE_VERSION });
    } catch (err) {
      throw duckdbOpenError(err, path);
    }
    return new DuckDBAdapter(dialect, instance, await instance.connect(), instance);
  }

  /** The underlying connection, for DuckDB-only powers (the Appender). */
  get raw(): DuckDBConnection {
    return this.connection;
  }

  /** Append rows in bulk (the Appender, one column function per kind) inside this connection's open transaction; see {@link appendWithAppender}. */
  async appendBulk(target: BulkTarget, columns: readonly BulkColumn[], rows: BulkRows): Promise<void> {
    try {
      await appendWithAppender(this.connection, target, columns.map((c) => c.kind), rows);
    } catch (err) {
      throw duckdbError(err);
    }
  }

  /** A second connection on the same instance (DuckDB allows concurrent connections in one process). */
  async fork(): Promise<DuckDBAdapter> {
    if (!this.instance) throw new Error('fork() on a transaction adapter');
    return new DuckDBAdapter(this.dialect, undefined, await this.instance.connect(), this.home);
  }

  /**
   * A raw connection of this instance for a SQL session (src/sqlsession): it sees every committed
   * write at once, can be interrupted, and streams typed values. The caller closes it (`closeSync`).
   */
  async sessionConnection(): Promise<DuckDBConnection> {
    if (!this.instance) throw new Error('sessionConnection() on a transaction adapter');
    return this.instance.connect();
  }

  async query<T extends Row = Row>(sql: string, params: SqlValue[] = []): Promise<T[]> {
    const result = await this.cached(sql, params, (s) => s.run(), () => this.connection.run(sql, bind(params)));
    return rowObjects(result, convertValue) as T[];
  }

  /** As {@link query}, one array per column (see {@link columnArrays}). */
  async queryColumns(sql: string, params: SqlValue[] = []): Promise<ColumnarResult> {
    const result = await this.cached(sql, params, (s) => s.run(), () => this.connection.run(sql, bind(params)));
    return columnArrays(result, convertValue);
  }

  /**
   * Run a parameterized statement through the connection's prepared-statement cache (parse and plan
   * once, bind and run after); DDL, statements without parameters, and a statement already running
   * (concurrent use of the reader connection) take the uncached path.
   */
  private async cached<R>(sql: string, params: SqlValue[], run: (s: DuckDBPreparedStatement) => Promise<R>, uncached: () => Promise<R>): Promise<R> {
    try {
      return await this.cachedOrNot(sql, params, run, uncached);
    } catch (err) {
      throw duckdbError(err);
    }
  }

  private async cachedOrNot<R>(sql: string, params: SqlValue[], run: (s: DuckDBPreparedStatement) => Promise<R>, uncached: () => Promise<R>): Promise<R> {
    if (DDL.test(sql)) {
      this.clearStatements();
      return uncached();
    }
    if (params.length === 0) return uncached();
    let statement = this.statements.get(sql);
    if (statement && this.busy.has(statement)) return uncached();
    if (statement) this.statements.delete(sql);
    else statement = await this.connection.prepare(sql);
    this.statements.set(sql, statement);
    if (this.statements.size > STATEMENT_CACHE_SIZE) {
      for (const [oldSql, old] of this.statements) {
        if (this.statements.size <= STATEMENT_CACHE_SIZE) break;
        if (this.busy.has(old)) continue;
        this.statements.delete(oldSql);
        old.destroySync();
      }
    }
    this.busy.add(statement);
    try {
      statement.bind(bind(params));
      return await run(statement);
    } finally {
      this.busy.delete(statement);
    }
  }

  private clearStatements(): void {
    for (const [sql, statement] of this.statements) {
      if (this.busy.has(statement)) continue;
      this.statements.delete(sql);
      statement.destroySync();
    }
  }

  /**
   * Committed rows, on a connection of its own (a fork's stream too: a result streaming on a shared
   * connection would be cut short, as if it had ended, by the next statement run on it).
   */
  async stream(sql: string, params: SqlValue[] = []): Promise<RowStream> {
    const home = this.home;
    const open = openStreams.get(home) ?? 0;
    if (open >= MAX_STREAMS) throw new WarehouseError('retryable', `${MAX_STREAMS} reads are streaming from this DuckDB file already: try again`);
    openStreams.set(home, open + 1);
    let conn: DuckDBConnection | undefined;
    let closed = false;
    const close = () => {
      if (closed) return;
      closed = true;
      openStreams.set(home, (openStreams.get(home) ?? 1) - 1);
      conn?.closeSync();
    };
    try {
      conn = await home.connect();
      const c = conn;
      // A streaming result: DuckDB computes rows as they are taken, so a read holds a chunk at a
      // time whatever its size (a materialized result held all of it — ~110 MB for 1,000,000 rows
      // of the benchmark's model — in memory V8 does not see, freed only when V8 collected the
      // result's handle). In a transaction, whose abort tells a failure midway from the end.
      await c.run('BEGIN TRANSACTION');
      const result = await c.stream(sql, bind(params));
      const columns = result.deduplicatedColumnNames();
      async function* chunks(): AsyncGenerator<Row[], void, undefined> {
        try {
          let read = 0;
          for await (const rows of result.yieldConvertedRowObjects(convertValue)) {
            read += rows.length;
            if (rows.length > 0) yield rows as Row[];
          }
          if (await streamFailed(c)) throw await streamError(c, sql, bind(params), read);
        } finally {
          close();
        }
      }
      return { columns, chunks, close };
    } catch (err) {
      close();
      throw err;
    }
  }

  /**
   * One statement that DuckDB's parser classifies as a SELECT (which covers WITH, FROM-first,
   * VALUES, DESCRIBE, SHOW, SUMMARIZE, PRAGMA table functions) — anything else is refused before
   * it runs. It runs on a connection of its own inside a transaction that is always rolled back;
   * the result streams: the first `maxRows` rows are converted, the rest only counted.
   */
  async readQuery(sql: string, maxRows: number): Promise<ReadQueryResult> {
    if (!this.instance) throw new Error('readQuery() on a transaction adapter');
    const conn = await this.instance.connect();
    const message = (err: unknown) => (err instanceof Error ? err.message : String(err));
    let statement: DuckDBPreparedStatement | undefined;
    try {
      let count: number;
      try {
        count = (await conn.extractStatements(sql)).count;
      } catch (err) {
        return { ok: false, message: message(err) };
      }
      if (count !== 1) return { ok: false, message: count === 0 ? 'no SQL statement given' : `one statement at a time, got ${count}` };
      try {
        statement = await conn.prepare(sql);
      } catch (err) {
        return { ok: false, message: message(err) };
      }
      if (statement.statementType !== StatementType.SELECT) {
        const kind = StatementType[statement.statementType] ?? 'other';
        return { ok: false, message: `only a read-only statement (SELECT, WITH … SELECT, FROM, VALUES, DESCRIBE, SHOW) may run here; this is a ${kind} statement` };
      }
      await conn.run('BEGIN TRANSACTION');
      try {
        const result = await statement.stream();
        const columns = result.deduplicatedColumnNames();
        const rows: Row[] = [];
        let rowCount = 0;
        for (let chunk = await result.fetchChunk(); chunk && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
          rowCount += chunk.rowCount;
          if (rows.length >= maxRows) continue;
          for (const values of chunk.convertRows(convertValue).slice(0, maxRows - rows.length)) {
            rows.push(Object.fromEntries(columns.map((c, i) => [c, values[i]])));
          }
        }
        if (await streamFailed(conn)) return { ok: false, message: message(await streamError(conn, sql, [], rowCount)) };
        return { ok: true, columns, types: result.columnTypes().map((t) => t.toString()), rows, rowCount };
      } catch (err) {
        return { ok: false, message: message(err) };
      } finally {
        await conn.run('ROLLBACK');
      }
    } finally {
      statement?.destroySync();
      conn.closeSync();
    }
  }

  async execute(sql: string, params: SqlValue[] = []): Promise<number> {
    const result: DuckDBMaterializedResult = await this.cached(sql, params, (s) => s.run(), () => this.connection.run(sql, bind(params)));
    return Number(result.rowsChanged);
  }

  /**
   * Several parameterless statements as one string (DuckDB parses and runs them in order). Each
   * starts on a line of its own and ends on its own `;` line, so a trailing `--` comment of one
   * never swallows the separator.
   */
  async executeScript(statements: readonly string[]): Promise<void> {
    if (statements.length === 0) return;
    this.clearStatements();
    try {
      await this.connection.run(statements.join('\n;\n'));
    } catch (err) {
      throw duckdbError(err);
    }
  }

  async begin(): Promise<void> {
    await this.run('BEGIN TRANSACTION');
  }

  async commit(): Promise<void> {
    await this.run('COMMIT');
  }

  async rollback(): Promise<void> {
    await this.run('ROLLBACK');
  }

  private async run(sql: string): Promise<void> {
    try {
      await this.connection.run(sql);
    } catch (err) {
      throw duckdbError(err);
    }
  }

  async describeSchemas(schemas: string[]): Promise<TableInfo[]> {
    if (schemas.length === 0) return [];
    const placeholders = schemas.map((_, i) => this.dialect.param(i + 1)).join(', ');
    // DuckDB's catalog functions (what its information_schema views are built on), without that
    // join of two views: the same rows and type names in half the time on a catalog of thousands
    const rows = await this.query<{ schema: string; name: string; kind: string; column: string; data_type: string }>(
      `select c.schema_name as schema, c.table_name as name, case when v.view_name is null then 'BASE TABLE' else 'VIEW' end as kind,
              c.column_name as column, c.data_type as data_type
         from duckdb_columns() c
         left join duckdb_views() v on v.database_name = c.database_name and v.schema_name = c.schema_name and v.view_name = c.table_name
        where c.database_name = current_database() and c.schema_name in (${placeholders})
        order by c.schema_name, c.table_name, c.column_index`,
      schemas,
    );
    const tables = new Map<string, TableInfo>();
    for (const r of rows) {
      const id = `${r.schema}.${r.name}`;
      let table = tables.get(id);
      if (!table) {
        table = { schema: r.schema, name: r.name, kind: r.kind === 'VIEW' ? 'view' : 'table', columns: [] };
        tables.set(id, table);
      }
      table.columns.push({ name: r.column, dataType: r.data_type });
    }
    return [...tables.values()];
  }

  async listRelations(schemas: string[]): Promise<TableInfo[]> {
    if (schemas.length === 0) return [];
    const placeholders = schemas.map((_, i) => this.dialect.param(i + 1)).join(', ');
    const rows = await this.query<{ schema: string; name: string; kind: string }>(
      `select schema_name as schema, table_name as name, 'table' as kind from duckdb_tables()
        where database_name = current_database() and schema_name in (${placeholders})
       union all
       select schema_name, view_name, 'view' from duckdb_views()
        where database_name = current_database() and schema_name in (${placeholders}) and not internal`,
      schemas,
    );
    return rows.map((r) => ({ schema: r.schema, name: r.name, kind: r.kind === 'view' ? 'view' : 'table', columns: [] }));
  }

  async close(): Promise<void> {
    this.clearStatements();
    this.connection.closeSync();
    this.instance?.closeSync();
  }
}

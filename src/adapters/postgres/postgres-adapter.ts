import pg from 'pg';
import type { Adapter, BulkAppendAdapter, BulkColumn, BulkRows, BulkTarget, Row, SqlValue, TableInfo } from '../adapter.js';
import { plainValue } from '../../dialects/sql-value.js';
import type { Dialect } from '../../dialects/dialect.js';
import { postgresError } from './postgres-errors.js';

/** Connection settings of a Postgres target (after `{{ env() }}` resolution). */
export interface PostgresConnectionOptions {
  host: string;
  port: number;
  database: string;
  user: string;
  password?: string;
  /** `require` (TLS, certificate not checked), `verify-full`, or `disable` (default). */
  sslmode?: 'disable' | 'require' | 'verify-full';
  /** Seconds to wait for a connection (default 10). */
  connectTimeoutSeconds?: number;
  /** Shown in `pg_stat_activity` (default `writeback`). */
  applicationName?: string;
  /** Seconds a statement may run before the server cancels it (default: no bound; an apply or a bulk load may be long). */
  statementTimeoutSeconds?: number;
  /** Seconds a statement waits for a lock (default: no bound); a timeout is a retryable error. */
  lockTimeoutSeconds?: number;
  /**
   * Seconds a session may sit idle inside a transaction before the server ends it and frees its
   * locks (default 60: a client that died mid-transaction must not block every writer).
   */
  idleInTransactionTimeoutSeconds?: number;
}

/** Default of `idle_in_transaction_timeout`, in seconds. */
export const IDLE_IN_TRANSACTION_TIMEOUT_SECONDS = 60;

const INT8 = 20;
const NUMERIC = 1700;
const DATE = 1082;
const TIMESTAMP = 1114;
const TIMESTAMPTZ = 1184;

/**
 * Results follow the wire rules every adapter keeps: BIGINT as a number when safe (else exact text),
 * NUMERIC as exact text, DATE as `YYYY-MM-DD`, TIMESTAMP (no zone, holding UTC) and TIMESTAMPTZ as Date.
 */
const typeParsers: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: string) => {
    switch (oid) {
      case INT8:
        return (text: string) => {
          const n = Number(text);
          return Number.isSafeInteger(n) ? n : text;
        };
      case NUMERIC:
      case DATE:
        return (text: string) => text;
      case TIMESTAMP:
        return (text: string) => new Date(`${text.replace(' ', 'T')}Z`);
      default:
        return pg.types.getTypeParser(oid, format as 'text');
    }
  }) as pg.CustomTypesConfig['getTypeParser'],
};

/** Bound values as node-pg sends them: instants as ISO text with `Z` (never the client's local time). */
function bind(params: SqlValue[]): unknown[] {
  return params.map(plainValue).map((p) => (p instanceof Date ? p.toISOString() : p));
}

/**
 * One Postgres session through `pg` (8.x). Each adapter owns one connection; `fork()` opens
 * another with the same settings (the write path gives each table its own). Every session runs
 * the dialect's setup (`set time zone 'UTC'`).
 */
export class PostgresAdapter implements Adapter, BulkAppendAdapter {
  /** The session ended or its socket failed (pg reports it as an 'error'/'end' event before failing the queries). */
  private lost = false;

  private constructor(
    readonly dialect: Dialect,
    private readonly client: pg.Client,
    private readonly options: PostgresConnectionOptions,
  ) {
    client.on('error', () => (this.lost = true));
    client.on('end', () => (this.lost = true));
  }

  /** Connect and prepare the session; connection failures become UsageErrors with a hint. */
  static async open(options: PostgresConnectionOptions, dialect: Dialect): Promise<PostgresAdapter> {
    const client = new pg.Client({
      host: options.host,
      port: options.port,
      database: options.database,
      user: options.user,
      password: options.password,
      ssl: options.sslmode === 'require' ? { rejectUnauthorized: false } : options.sslmode === 'verify-full' ? true : false,
      connectionTimeoutMillis: (options.connectTimeoutSeconds ?? 10) * 1000,
      application_name: options.applicationName ?? 'writeback',
      // session settings sent with the startup message, in milliseconds (0 = no bound)
      statement_timeout: (options.statementTimeoutSeconds ?? 0) * 1000,
      lock_timeout: (options.lockTimeoutSeconds ?? 0) * 1000,
      idle_in_transaction_session_timeout: (options.idleInTransactionTimeoutSeconds ?? IDLE_IN_TRANSACTION_TIMEOUT_SECONDS) * 1000,
      types: typeParsers,
    });
    // a dropped connection must not crash the process; the next query reports it (connection-lost)
    client.on('error', () => undefined);
    try {
      await client.connect();
      for (const sql of dialect.sessionSetupSql) await client.query(sql);
    } catch (err) {
      await client.end().catch(() => undefined);
      throw postgresError(err, options, 'connect');
    }
    return new PostgresAdapter(dialect, client, options);
  }

  /** A second session with the same settings. */
  fork(): Promise<PostgresAdapter> {
    return PostgresAdapter.open(this.options, this.dialect);
  }

  async query<T extends Row = Row>(sql: string, params: SqlValue[] = []): Promise<T[]> {
    try {
      const result = await this.client.query(sql, bind(params));
      return result.rows as T[];
    } catch (err) {
      throw postgresError(err, this.options, 'session', this.lost);
    }
  }

  async execute(sql: string, params: SqlValue[] = []): Promise<number> {
    try {
      const result = await this.client.query(sql, bind(params));
      return result.rowCount ?? 0;
    } catch (err) {
      throw postgresError(err, this.options, 'session', this.lost);
    }
  }

  /**
   * Append rows in bulk with `COPY … FROM STDIN` inside this session's open transaction (see
   * postgres-copy.ts). pg-copy-streams is loaded here, on first use, after `pg`: the registry
   * loads it when it opens a Postgres target and names it when it is not installed.
   */
  async appendBulk(target: BulkTarget, columns: readonly BulkColumn[], rows: BulkRows): Promise<void> {
    const { copyRows } = await import('./postgres-copy.js');
    try {
      await copyRows(this.client, this.dialect, target, columns, rows);
    } catch (err) {
      throw postgresError(err, this.options, 'session', this.lost);
    }
  }

  /**
   * BEGIN at READ COMMITTED, whatever the server's or the database's default: the write path's
   * chain-head compare-and-set and its retries are designed for it.
   */
  async begin(): Promise<void> {
    await this.execute('begin isolation level read committed');
  }

  async commit(): Promise<void> {
    await this.execute('commit');
  }

  async rollback(): Promise<void> {
    await this.execute('rollback');
  }

  /**
   * Tables and views with their columns, types as `format_type` writes them (`numeric(18,2)`,
   * `timestamp with time zone`), and the key columns of each table's plain indexes (see {@link readIndexes}).
   */
  async describeSchemas(schemas: string[]): Promise<TableInfo[]> {
    if (schemas.length === 0) return [];
    const schemaArray = `{${schemas.map((s) => `"${s.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`).join(',')}}`;
    const rows = await this.query<{ schema: string; name: string; kind: string; column: string; data_type: string }>(
      `select n.nspname as schema, c.relname as name, c.relkind as kind, a.attname as column,
              format_type(a.atttypid, a.atttypmod) as data_type
         from pg_catalog.pg_class c
         join pg_catalog.pg_namespace n on n.oid = c.relnamespace
         join pg_catalog.pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
        where n.nspname = any($1::text[]) and c.relkind in ('r', 'p', 'v', 'm', 'f')
        order by n.nspname, c.relname, a.attnum`,
      [schemaArray],
    );
    const tables = new Map<string, TableInfo>();
    for (const r of rows) {
      const id = `${r.schema}.${r.name}`;
      let table = tables.get(id);
      if (!table) {
        table = { schema: r.schema, name: r.name, kind: r.kind === 'v' || r.kind === 'm' ? 'view' : 'table', columns: [] };
        tables.set(id, table);
      }
      table.columns.push({ name: r.column, dataType: r.data_type });
    }
    for (const t of tables.values()) if (t.kind === 'table') t.indexes = [];
    for (const r of await this.readIndexes(schemaArray)) tables.get(`${r.schema}.${r.name}`)?.indexes?.push(r.columns);
    return [...tables.values()];
  }

  /** Key columns of every index on a table of these schemas (a Postgres text array literal), except partial and expression indexes. */
  private readIndexes(schemaArray: string): Promise<{ schema: string; name: string; columns: string[] }[]> {
    return this.query<{ schema: string; name: string; columns: string[] }>(
      `select n.nspname as schema, c.relname as name,
              array(select a.attname::text
                      from unnest(i.indkey::int2[]) with ordinality as k(attnum, pos)
                      join pg_catalog.pg_attribute a on a.attrelid = c.oid and a.attnum = k.attnum
                     where k.pos <= i.indnkeyatts
                     order by k.pos) as columns
         from pg_catalog.pg_index i
         join pg_catalog.pg_class c on c.oid = i.indrelid
         join pg_catalog.pg_namespace n on n.oid = c.relnamespace
        where n.nspname = any($1::text[]) and i.indpred is null and i.indexprs is null
        order by n.nspname, c.relname, i.indexrelid`,
      [schemaArray],
    );
  }

  async close(): Promise<void> {
    await this.client.end().catch(() => undefined);
  }
}

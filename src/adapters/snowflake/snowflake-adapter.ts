import type { BulkAppendAdapter, BulkColumn, BulkRows, BulkTarget, Row, SqlValue, TableInfo } from '../adapter.js';
import { plainValue } from '../../dialects/sql-value.js';
import type { Dialect } from '../../dialects/dialect.js';
import { isWarehouseError, WarehouseError } from '../warehouse-error.js';
import { bulkChunks, bulkInsertSql } from './snowflake-bulk.js';
import { snowflakeError } from './snowflake-errors.js';
import type { SnowflakeBind, SnowflakeConnector, SnowflakeResult, SnowflakeSession } from './snowflake-session.js';
import { abortDetached, sessionIds, SnowflakeSessions } from './snowflake-sessions.js';

/** A name Snowflake stores upper-case when the dialect writes it (see SnowflakeDialect). */
const FOLDABLE = /^[a-z_][a-z0-9_$]*$/;

/** The stored form of a project name (`accounts` → `ACCOUNTS`; `Accounts` stays). */
export function foldName(name: string): string {
  return FOLDABLE.test(name) ? name.toUpperCase() : name;
}

/** The project name of a stored name: an upper-case name that folds back from lower case is lower-cased. */
export function unfoldName(name: string): string {
  const lower = name.toLowerCase();
  return name === name.toUpperCase() && FOLDABLE.test(lower) ? lower : name;
}

/**
 * Session settings beyond the dialect's: input formats whatever the account's defaults (text
 * bound to DATE/TIMESTAMP columns is ISO), and text output formats the adapter parses exactly.
 */
const SESSION_FORMATS = [
  "alter session set date_input_format = 'AUTO', timestamp_input_format = 'AUTO', date_output_format = 'YYYY-MM-DD', timestamp_ntz_output_format = 'YYYY-MM-DD\"T\"HH24:MI:SS.FF3\"Z\"', " +
    "timestamp_ltz_output_format = 'YYYY-MM-DD\"T\"HH24:MI:SS.FF3TZH:TZM', timestamp_tz_output_format = 'YYYY-MM-DD\"T\"HH24:MI:SS.FF3TZH:TZM'",
];

/** A bound value as snowflake-sdk takes it: instants as UTC text (cast by the SQL), big integers as text. */
export function snowflakeBind(value: SqlValue): SnowflakeBind {
  const v = plainValue(value);
  if (v instanceof Date) return v.toISOString().replace('T', ' ').replace('Z', '');
  if (typeof v === 'bigint') return v.toString();
  return v;
}

/** One value of a result, to the wire rules every adapter keeps (exact decimals as text, safe integers as numbers, Date for timestamps). */
function convert(type: string, scale: number, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'fixed': {
      const text = String(value);
      if (scale > 0) return text;
      const n = Number(text);
      return Number.isSafeInteger(n) ? n : text;
    }
    case 'real':
      return Number(value);
    case 'date':
      return String(value).slice(0, 10);
    case 'timestamp_ntz':
    case 'timestamp_ltz':
    case 'timestamp_tz':
      return value instanceof Date ? value : new Date(String(value));
    default:
      return value;
  }
}

/**
 * Connect and set the new session up. A re-open that cannot reach Snowflake is `connection-lost`
 * (the next call tries again); rejected credentials stay UsageErrors.
 */
async function openSession(connect: SnowflakeConnector, dialect: Dialect, where: SnowflakeWhere, phase: 'connect' | 'reopen'): Promise<SnowflakeSession> {
  let session: SnowflakeSession;
  try {
    session = await connect();
  } catch (err) {
    if (phase === 'reopen') {
      const lost = snowflakeError(err, where, 'session');
      if (isWarehouseError(lost, 'connection-lost')) throw lost;
    }
    throw snowflakeError(err, where, 'connect');
  }
  try {
    for (const sql of [...dialect.sessionSetupSql, ...SESSION_FORMATS]) await session.execute(sql, []);
    const id = (await session.execute('select current_session() as id', [])).rows[0]?.ID;
    if (id !== undefined && id !== null) sessionIds.set(session, String(id));
  } catch (err) {
    await session.destroy().catch(() => undefined);
    throw snowflakeError(err, where, 'session');
  }
  return session;
}

/** Rows with project names for keys (unfolded) and converted values. */
export function snowflakeRows(result: SnowflakeResult): Row[] {
  const columns = result.columns.map((c) => ({ ...c, key: unfoldName(c.name) }));
  return result.rows.map((r) => {
    const out: Row = {};
    if (columns.length === 0) {
      for (const [k, v] of Object.entries(r)) out[unfoldName(k)] = v;
      return out;
    }
    for (const c of columns) out[c.key] = convert(c.type, c.scale, r[c.name]);
    return out;
  });
}

/** A statement that only reads, so running it again on a new session changes nothing. */
const READ = /^\s*(select|with|show|describe|desc)\b/i;

/** What the adapter needs to know of its target, for messages. */
export interface SnowflakeWhere {
  account: string;
  user: string;
  database: string;
}

/**
 * A Snowflake session through `snowflake-sdk` (behind `SnowflakeSession`, so tests can mock the SDK).
 * READ COMMITTED; DDL commits an open transaction (the dialect says so: `transactionalDdl` false);
 * every session runs with time zone UTC. Result column names come back upper-case and are mapped
 * back to project names.
 *
 * A session that is lost (expired, terminated, network failure, the SDK reporting it down) is
 * replaced on the next call by a new one with the same settings, and `sessionNumber` changes.
 * The statement that met the loss fails with a `connection-lost` WarehouseError, except a read
 * outside a transaction, which is run once more on the new session. Inside a transaction nothing
 * is re-run: its statements fail `connection-lost` until it is rolled back, and a COMMIT that
 * lost its session is left to the caller (its outcome is unknown).
 */
export class SnowflakeAdapter implements BulkAppendAdapter {
  /** The open transaction's session, and whether it was lost. */
  private tx: { session: SnowflakeSession; lost: boolean } | undefined;
  /** Snowflake ids of lost sessions that had a transaction open (see `abortDetached`). */
  private detached: string[] = [];

  private constructor(
    readonly dialect: Dialect,
    private readonly sessions: SnowflakeSessions,
    private readonly connect: SnowflakeConnector,
    private readonly where: SnowflakeWhere,
  ) {}

  /** Open a session and set it up (UTC, input and output formats); SDK failures become UsageErrors with a hint. */
  static async open(connect: SnowflakeConnector, dialect: Dialect, where: SnowflakeWhere): Promise<SnowflakeAdapter> {
    const first = await openSession(connect, dialect, where, 'connect');
    const reopen = () => openSession(connect, dialect, where, 'reopen');
    return new SnowflakeAdapter(dialect, new SnowflakeSessions(first, reopen), connect, where);
  }

  /** Which session this adapter is on: it changes when a lost session was (or will be, on the next call) replaced. */
  get sessionNumber(): number {
    this.sessions.check();
    return this.sessions.number;
  }

  /** Another session with the same settings. */
  fork(): Promise<SnowflakeAdapter> {
    return SnowflakeAdapter.open(this.connect, this.dialect, this.where);
  }

  /** The session for the next statement outside a transaction, after aborting what lost sessions left open. */
  private async session(): Promise<SnowflakeSession> {
    const session = await this.sessions.get();
    if (this.detached.length > 0) await abortDetached(session, this.detached.splice(0));
    return session;
  }

  /** The open transaction's session is gone: nothing of it runs again, and what it left open is aborted from the next session. */
  private txLost(tx: { session: SnowflakeSession; lost: boolean }): void {
    if (tx.lost) return;
    tx.lost = true;
    this.sessions.lost(tx.session);
    const id = sessionIds.get(tx.session);
    if (id !== undefined) this.detached.push(id);
  }

  private async run(sql: string, binds: SnowflakeBind[] | SnowflakeBind[][], rerunIfLost = false): Promise<SnowflakeResult> {
    for (let attempt = 0; ; attempt++) {
      const tx = this.tx;
      if (tx && (tx.lost || !this.sessions.isCurrent(tx.session))) {
        this.txLost(tx);
        throw new WarehouseError('connection-lost', `the Snowflake session on '${this.where.account}' was lost during the transaction, which did not commit`);
      }
      const session = tx?.session ?? (await this.session());
      try {
        return await session.execute(sql, binds);
      } catch (err) {
        const e = snowflakeError(err, this.where, 'session');
        if (!isWarehouseError(e, 'connection-lost')) throw e;
        if (tx) this.txLost(tx);
        else this.sessions.lost(session);
        if (tx || !rerunIfLost || attempt > 0) throw e;
      }
    }
  }

  async query<T extends Row = Row>(sql: string, params: SqlValue[] = []): Promise<T[]> {
    return snowflakeRows(await this.run(sql, params.map(snowflakeBind), READ.test(sql))) as T[];
  }

  async execute(sql: string, params: SqlValue[] = []): Promise<number> {
    return (await this.run(sql, params.map(snowflakeBind))).updated ?? 0;
  }

  /**
   * Array binding: a few INSERTs, each carrying up to MAX_ARRAY_BINDS values as one request,
   * inside the open transaction when there is one (see snowflake-bulk.ts).
   */
  async appendBulk(target: BulkTarget, columns: readonly BulkColumn[], rows: BulkRows): Promise<void> {
    const sql = bulkInsertSql(this.dialect, target, columns);
    for (const chunk of bulkChunks(columns, rows)) {
      const { updated } = await this.run(sql, chunk);
      // the SDK sums the INSERT's "number of rows inserted" (-1 when it cannot tell)
      if (updated !== undefined && updated >= 0 && updated !== chunk.length) throw new Error(`bulk append: Snowflake inserted ${updated} of ${chunk.length} rows`);
    }
  }

  /** BEGIN on the current session (READ COMMITTED; DDL would commit it); the transaction stays on that session. */
  async begin(): Promise<void> {
    if (this.tx) throw new Error('a transaction is already open on this Snowflake session');
    this.tx = { session: await this.session(), lost: false };
    try {
      await this.run('begin', []);
    } catch (err) {
      this.tx = undefined;
      throw err;
    }
  }

  /** COMMIT; a `connection-lost` failure here leaves the outcome unknown and is never re-run. */
  async commit(): Promise<void> {
    try {
      await this.run('commit', []);
      this.tx = undefined;
    } catch (err) {
      if (isWarehouseError(err, 'connection-lost')) this.tx = undefined;
      throw err;
    }
  }

  /** Explicit: Snowflake keeps a failed transaction open until ROLLBACK. A lost session took its transaction with it. */
  async rollback(): Promise<void> {
    const tx = this.tx;
    this.tx = undefined;
    if (tx && (tx.lost || !this.sessions.isCurrent(tx.session))) {
      this.txLost(tx);
      return;
    }
    const session = tx?.session ?? (await this.sessions.get());
    try {
      await session.execute('rollback', []);
    } catch (err) {
      const e = snowflakeError(err, this.where, 'session');
      if (isWarehouseError(e, 'connection-lost')) this.sessions.lost(session);
      throw e;
    }
  }

  async describeSchemas(schemas: string[]): Promise<TableInfo[]> {
    if (schemas.length === 0) return [];
    const list = schemas.map((_, i) => this.dialect.param(i + 1)).join(', ');
    const rows = await this.query<{ table_schema: string; table_name: string; table_type: string; column_name: string; data_type: string; numeric_precision: unknown; numeric_scale: unknown }>(
      `select c.table_schema, c.table_name, t.table_type, c.column_name, c.data_type, c.numeric_precision, c.numeric_scale
         from information_schema.columns c
         join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
        where c.table_schema in (${list})
        order by c.table_schema, c.table_name, c.ordinal_position`,
      schemas.map(foldName),
    );
    const tables = new Map<string, TableInfo>();
    for (const r of rows) {
      const schema = unfoldName(r.table_schema);
      const name = unfoldName(r.table_name);
      const id = `${schema}.${name}`;
      let table = tables.get(id);
      if (!table) {
        table = { schema, name, kind: r.table_type === 'VIEW' ? 'view' : 'table', columns: [] };
        tables.set(id, table);
      }
      const type = r.data_type === 'NUMBER' && r.numeric_precision !== null ? `NUMBER(${String(r.numeric_precision)}, ${String(r.numeric_scale)})` : r.data_type;
      table.columns.push({ name: unfoldName(r.column_name), dataType: type });
    }
    return [...tables.values()];
  }

  async listSchemas(names: string[]): Promise<Set<string>> {
    if (names.length === 0) return new Set();
    const list = names.map((_, i) => this.dialect.param(i + 1)).join(', ');
    const rows = await this.query<{ schema_name: string }>(`select schema_name from information_schema.schemata where schema_name in (${list})`, names.map(foldName));
    return new Set(rows.map((r) => unfoldName(r.schema_name)));
  }

  async viewDefinitions(schema: string): Promise<Map<string, string>> {
    const rows = await this.query<{ table_name: string; view_definition: string | null }>(
      `select table_name, view_definition from information_schema.views where table_schema = ${this.dialect.param(1)}`,
      [foldName(schema)],
    );
    return new Map(rows.filter((r) => r.view_definition).map((r) => [unfoldName(r.table_name), r.view_definition!]));
  }

  async close(): Promise<void> {
    await this.sessions.close();
  }
}

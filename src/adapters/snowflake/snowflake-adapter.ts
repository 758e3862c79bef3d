import type { Adapter, Row, SqlValue, TableInfo } from '../adapter.js';
import type { Dialect } from '../../dialects/dialect.js';
import { snowflakeError } from './snowflake-errors.js';
import type { SnowflakeConnector, SnowflakeResult, SnowflakeSession } from './snowflake-session.js';

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

/** Session settings beyond the dialect's: text output formats the adapter parses exactly. */
const OUTPUT_FORMATS = [
  "alter session set date_output_format = 'YYYY-MM-DD', timestamp_ntz_output_format = 'YYYY-MM-DD\"T\"HH24:MI:SS.FF3\"Z\"', " +
    "timestamp_ltz_output_format = 'YYYY-MM-DD\"T\"HH24:MI:SS.FF3TZH:TZM', timestamp_tz_output_format = 'YYYY-MM-DD\"T\"HH24:MI:SS.FF3TZH:TZM'",
];

/** A bound value as snowflake-sdk takes it: instants as UTC text (cast by the SQL), big integers as text. */
export function snowflakeBind(v: SqlValue): string | number | boolean | null {
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

/**
 * A Snowflake session through `snowflake-sdk` (behind `SnowflakeSession`, so tests can mock the SDK).
 * READ COMMITTED; DDL commits an open transaction (the dialect says so: `transactionalDdl` false);
 * every session runs with time zone UTC. Result column names come back upper-case and are mapped
 * back to project names.
 */
export class SnowflakeAdapter implements Adapter {
  private constructor(
    readonly dialect: Dialect,
    private readonly session: SnowflakeSession,
    private readonly connect: SnowflakeConnector,
    private readonly where: { account: string; user: string; database: string },
  ) {}

  /** Open a session and set it up (UTC, output formats); SDK failures become UsageErrors with a hint. */
  static async open(connect: SnowflakeConnector, dialect: Dialect, where: { account: string; user: string; database: string }): Promise<SnowflakeAdapter> {
    let session: SnowflakeSession;
    try {
      session = await connect();
    } catch (err) {
      throw snowflakeError(err, where, 'connect');
    }
    const adapter = new SnowflakeAdapter(dialect, session, connect, where);
    for (const sql of [...dialect.sessionSetupSql, ...OUTPUT_FORMATS]) await adapter.execute(sql);
    return adapter;
  }

  /** Another session with the same settings. */
  fork(): Promise<SnowflakeAdapter> {
    return SnowflakeAdapter.open(this.connect, this.dialect, this.where);
  }

  private async run(sql: string, params: SqlValue[]): Promise<SnowflakeResult> {
    try {
      return await this.session.execute(sql, params.map(snowflakeBind));
    } catch (err) {
      throw snowflakeError(err, this.where, 'session');
    }
  }

  async query<T extends Row = Row>(sql: string, params: SqlValue[] = []): Promise<T[]> {
    return snowflakeRows(await this.run(sql, params)) as T[];
  }

  async execute(sql: string, params: SqlValue[] = []): Promise<number> {
    return (await this.run(sql, params)).updated ?? 0;
  }

  /** BEGIN on this session (READ COMMITTED; DDL would commit it). */
  async begin(): Promise<void> {
    await this.execute('begin');
  }

  async commit(): Promise<void> {
    await this.execute('commit');
  }

  /** Explicit: Snowflake keeps a failed transaction open until ROLLBACK. */
  async rollback(): Promise<void> {
    await this.execute('rollback');
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
    await this.session.destroy().catch(() => undefined);
  }
}

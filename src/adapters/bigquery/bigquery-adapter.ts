import type { Adapter, Row, SqlValue, TableInfo } from '../adapter.js';
import type { Dialect } from '../../dialects/dialect.js';
import { bigqueryError } from './bigquery-errors.js';
import type { BigQueryClient, BigQueryResult } from './bigquery-client.js';

/** Named parameters (`@p1` … as the dialect writes them) with a declared type each (nulls need one). */
export function bigqueryParams(params: SqlValue[]): { values: Record<string, unknown>; types: Record<string, string> } {
  const values: Record<string, unknown> = {};
  const types: Record<string, string> = {};
  params.forEach((v, i) => {
    const name = `p${i + 1}`;
    if (v === null) {
      values[name] = null;
      types[name] = 'STRING'; // the SQL casts every value whose column type matters
    } else if (typeof v === 'bigint') {
      values[name] = v.toString();
      types[name] = 'INT64';
    } else if (typeof v === 'number') {
      values[name] = v;
      types[name] = Number.isInteger(v) ? 'INT64' : 'FLOAT64';
    } else if (typeof v === 'boolean') {
      values[name] = v;
      types[name] = 'BOOL';
    } else if (v instanceof Date) {
      values[name] = v.toISOString();
      types[name] = 'TIMESTAMP';
    } else {
      values[name] = v;
      types[name] = 'STRING';
    }
  });
  return { values, types };
}

/** One value as every adapter returns it: exact decimals as text, safe integers as numbers, `YYYY-MM-DD`, Date for instants. */
export function bigqueryValue(v: unknown): unknown {
  if (v === null || v === undefined || typeof v !== 'object') return v ?? null;
  if (v instanceof Date) return v;
  const kind = v.constructor?.name;
  if (kind === 'Big' && typeof (v as { toFixed?: unknown }).toFixed === 'function') return (v as { toFixed(): string }).toFixed();
  const value = (v as { value?: unknown }).value;
  if (typeof value === 'string') {
    if (kind === 'BigQueryTimestamp') return new Date(value);
    if (kind === 'BigQueryInt') {
      const n = Number(value);
      return Number.isSafeInteger(n) ? n : value;
    }
    return value; // BigQueryDate, BigQueryDatetime, BigQueryTime
  }
  return v;
}

/**
 * BigQuery through `@google-cloud/bigquery` (behind `BigQueryClient`, so tests can mock the SDK).
 * Each adapter is one BigQuery session (created by its first query): temporary tables and
 * multi-statement transactions (`begin transaction` … `commit transaction`, spanning several
 * jobs of the session, snapshot isolation) live in it. DDL runs outside transactions.
 */
export class BigQueryAdapter implements Adapter {
  private sessionId: string | undefined;

  constructor(
    readonly dialect: Dialect,
    private readonly client: BigQueryClient,
    private readonly projectId: string,
  ) {}

  /** Another session on the same client. */
  async fork(): Promise<BigQueryAdapter> {
    return new BigQueryAdapter(this.dialect, this.client, this.projectId);
  }

  private async run(sql: string, params: SqlValue[]): Promise<BigQueryResult> {
    const { values, types } = bigqueryParams(params);
    try {
      const result = await this.client.query(sql, values, types, { ...(this.sessionId ? { id: this.sessionId } : {}), create: !this.sessionId });
      this.sessionId ??= result.sessionId;
      return result;
    } catch (err) {
      throw bigqueryError(err, this.projectId);
    }
  }

  async query<T extends Row = Row>(sql: string, params: SqlValue[] = []): Promise<T[]> {
    const { rows } = await this.run(sql, params);
    return rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, bigqueryValue(v)]))) as T[];
  }

  async execute(sql: string, params: SqlValue[] = []): Promise<number> {
    return (await this.run(sql, params)).affected ?? 0;
  }

  /** A multi-statement transaction in this session (snapshot isolation; a concurrent update aborts it: `conflict`). */
  async begin(): Promise<void> {
    await this.execute('begin transaction');
  }

  async commit(): Promise<void> {
    await this.execute('commit transaction');
  }

  async rollback(): Promise<void> {
    await this.execute('rollback transaction');
  }

  async describeSchemas(schemas: string[]): Promise<TableInfo[]> {
    const out: TableInfo[] = [];
    for (const schema of schemas) {
      if (!(await this.datasetExists(schema))) continue;
      const ds = this.dialect.quoteIdent(schema);
      const rows = await this.query<{ table_name: string; table_type: string; column_name: string; data_type: string }>(
        `select c.table_name, t.table_type, c.column_name, c.data_type
           from ${ds}.INFORMATION_SCHEMA.COLUMNS c join ${ds}.INFORMATION_SCHEMA.TABLES t on t.table_name = c.table_name
          order by c.table_name, c.ordinal_position`,
      );
      const tables = new Map<string, TableInfo>();
      for (const r of rows) {
        let table = tables.get(r.table_name);
        if (!table) {
          table = { schema, name: r.table_name, kind: r.table_type === 'VIEW' ? 'view' : 'table', columns: [] };
          tables.set(r.table_name, table);
        }
        table.columns.push({ name: r.column_name, dataType: r.data_type });
      }
      out.push(...tables.values());
    }
    return out;
  }

  private async datasetExists(name: string): Promise<boolean> {
    try {
      return await this.client.datasetExists(name);
    } catch (err) {
      throw bigqueryError(err, this.projectId);
    }
  }

  async listSchemas(names: string[]): Promise<Set<string>> {
    const found = new Set<string>();
    for (const name of names) if (await this.datasetExists(name)) found.add(name);
    return found;
  }

  async viewDefinitions(schema: string): Promise<Map<string, string>> {
    if (!(await this.datasetExists(schema))) return new Map();
    const rows = await this.query<{ table_name: string; view_definition: string | null }>(
      `select table_name, view_definition from ${this.dialect.quoteIdent(schema)}.INFORMATION_SCHEMA.VIEWS`,
    );
    return new Map(rows.filter((r) => r.view_definition).map((r) => [r.table_name, r.view_definition!]));
  }

  /** Ends the session (its temporary tables go with it). */
  async close(): Promise<void> {
    if (this.sessionId) await this.execute('call BQ.ABORT_SESSION()').catch(() => undefined);
    this.sessionId = undefined;
  }
}

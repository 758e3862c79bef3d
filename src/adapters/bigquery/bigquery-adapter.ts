import type { BulkAppendAdapter, BulkColumn, BulkRows, BulkTarget, Row, SqlValue, TableInfo } from '../adapter.js';
import type { Dialect } from '../../dialects/dialect.js';
import { isWarehouseError } from '../warehouse-error.js';
import { bulkStatements } from './bigquery-bulk.js';
import { bigqueryError } from './bigquery-errors.js';
import type { BigQueryClient, BigQueryParamType, BigQueryResult, BigQuerySessionOption } from './bigquery-client.js';
import { bigqueryParams } from './bigquery-params.js';


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

/** A statement that only reads (runs as a plain job outside a transaction, never in a session). */
const READ = /^\s*(select|with)\b/i;

/**
 * A session is replaced before BigQuery would end it: after this long without a job (BigQuery
 * ends a session after 24 h of inactivity) …
 */
const SESSION_IDLE_MS = 12 * 3_600_000;
/** … or at this age (BigQuery ends every session 7 days after it was created). */
const SESSION_MAX_AGE_MS = 6 * 24 * 3_600_000;

/** The session a BigQuery adapter runs its writes and transactions in. */
interface Session {
  /** BigQuery's session id (known once the job that created it returned). */
  id: string;
  /** Which of this adapter's sessions it is (`sessionNumber`). */
  number: number;
  createdMs: number;
  lastUsedMs: number;
}

/** A FIFO lock: `run` calls wait for the ones before them (BigQuery runs one query at a time per session). */
class Queue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(fn);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

/** Options of a {@link BigQueryAdapter} (tests pass a clock). */
export interface BigQueryAdapterOptions {
  /** Milliseconds since the epoch (default `Date.now`). */
  now?: () => number;
}

/**
 * BigQuery through `@google-cloud/bigquery` (behind `BigQueryClient`, so tests can mock the SDK).
 *
 * Sessions: BigQuery runs one query at a time per session ("you can't use concurrent queries in a
 * session"), so the adapter owns at most one session and sends it one job at a time, in order:
 * every statement of a transaction (`begin transaction` … `commit transaction` spanning several
 * jobs, snapshot isolation) and, outside transactions, every statement that is not a read
 * (temporary tables live in the session; DDL and DML wait their turn). Reads outside a transaction
 * are plain jobs, concurrent, in no session. The session is opened by the first job that needs one
 * (`createSession`), kept across transactions (so the write path's temporary tables outlive one
 * transaction), and replaced — `sessionNumber` changes, and temporary tables must be created again —
 * when it was idle for 12 h or is 6 days old (BigQuery ends sessions at 24 h idle and 7 days), or
 * when BigQuery reports it ended or a job's connection was lost. An ended session is a
 * `connection-lost` WarehouseError for the statement that met it (during COMMIT: outcome unknown);
 * the next statement opens a new session, so a long-running `serve` never stays broken. DDL runs
 * outside transactions. `fork()` is another adapter with its own session.
 */
export class BigQueryAdapter implements BulkAppendAdapter {
  private session: Session | undefined;
  private opened = 0;
  /** Statements go to the session: from `begin` until the transaction ended. */
  private inTransaction = false;
  /** A transaction is open in the session (it must not be replaced meanwhile). */
  private transactionOpen = false;
  private readonly queue = new Queue();
  private readonly aborting = new Set<Promise<unknown>>();
  private readonly now: () => number;

  constructor(
    readonly dialect: Dialect,
    private readonly client: BigQueryClient,
    private readonly projectId: string,
    private readonly options: BigQueryAdapterOptions = {},
  ) {
    this.now = options.now ?? Date.now;
  }

  /** Which session the next statement that needs one runs in; a new number means temporary tables are gone. */
  get sessionNumber(): number {
    return this.session && this.usable(this.session) ? this.session.number : this.opened + 1;
  }

  /** Another adapter on the same client, with its own session. */
  async fork(): Promise<BigQueryAdapter> {
    return new BigQueryAdapter(this.dialect, this.client, this.projectId, this.options);
  }

  private usable(s: Session): boolean {
    const now = this.now();
    return this.transactionOpen || (now - s.lastUsedMs < SESSION_IDLE_MS && now - s.createdMs < SESSION_MAX_AGE_MS);
  }

  /** Forget the session; end it in the background unless BigQuery already did. */
  private retire(abort: boolean): void {
    const s = this.session;
    this.session = undefined;
    if (!s || !abort) return;
    const done = this.client.query('call BQ.ABORT_SESSION()', {}, {}, { id: s.id, create: false }).catch(() => undefined);
    this.aborting.add(done);
    void done.finally(() => this.aborting.delete(done));
  }

  private async job(sql: string, values: Record<string, unknown>, types: Record<string, BigQueryParamType>, session: BigQuerySessionOption): Promise<BigQueryResult> {
    try {
      return await this.client.query(sql, values, types, session);
    } catch (err) {
      throw bigqueryError(err, this.projectId);
    }
  }

  /** One job in this adapter's session (opened here when there is none), after the jobs before it. */
  private inSession(sql: string, values: Record<string, unknown>, types: Record<string, BigQueryParamType>): Promise<BigQueryResult> {
    return this.queue.run(async () => {
      if (this.session && !this.usable(this.session)) this.retire(true);
      const current = this.session;
      const number = current?.number ?? this.opened + 1;
      try {
        const result = await this.job(sql, values, types, current ? { id: current.id, create: false } : { create: true });
        if (current) current.lastUsedMs = this.now();
        else {
          if (!result.sessionId) throw new Error('BigQuery created no session for a job sent with createSession');
          this.opened = number;
          this.session = { id: result.sessionId, number, createdMs: this.now(), lastUsedMs: this.now() };
        }
        return result;
      } catch (err) {
        // the session ended, or the job's fate is unknown: start the next statement in a new session
        if (current && isWarehouseError(err, 'connection-lost')) this.retire(false);
        throw err;
      }
    });
  }

  private run(sql: string, params: SqlValue[]): Promise<BigQueryResult> {
    const { values, types } = bigqueryParams(params, this.dialect);
    if (!this.inTransaction && READ.test(sql)) return this.job(sql, values, types, { create: false });
    return this.inSession(sql, values, types);
  }

  async query<T extends Row = Row>(sql: string, params: SqlValue[] = []): Promise<T[]> {
    const { rows } = await this.run(sql, params);
    return rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, bigqueryValue(v)]))) as T[];
  }

  async execute(sql: string, params: SqlValue[] = []): Promise<number> {
    return (await this.run(sql, params)).affected ?? 0;
  }

  /**
   * Append rows with one `insert … select … from unnest(@rows)` per request-sized chunk (typed
   * ARRAY<STRUCT> parameter, see bigquery-bulk.ts), inside the open transaction when there is one.
   */
  async appendBulk(target: BulkTarget, columns: readonly BulkColumn[], rows: BulkRows): Promise<void> {
    for (const statement of bulkStatements(this.dialect, target, columns, rows)) await this.inSession(statement.sql, statement.params, statement.types);
  }

  /**
   * A multi-statement transaction in this adapter's session (snapshot isolation; a concurrent
   * update aborts it: `conflict`). If BEGIN fails for another reason than a typed one, the session
   * may hold a transaction nobody ended: it is ended, and the next statement opens a new session.
   */
  async begin(): Promise<void> {
    this.inTransaction = true;
    try {
      await this.execute('begin transaction');
      this.transactionOpen = true;
    } catch (err) {
      this.inTransaction = false;
      if (!isWarehouseError(err)) await this.queue.run(async () => this.retire(true));
      throw err;
    }
  }

  async commit(): Promise<void> {
    try {
      await this.execute('commit transaction');
      this.inTransaction = this.transactionOpen = false;
    } catch (err) {
      // a lost COMMIT is never rolled back by the caller: its outcome is unknown and its session gone
      if (isWarehouseError(err, 'connection-lost')) this.inTransaction = this.transactionOpen = false;
      throw err;
    }
  }

  /**
   * Roll back. A statement that failed inside the transaction has already rolled it back
   * (BigQuery ends a transaction whose statement fails), so a failing ROLLBACK keeps the session.
   */
  async rollback(): Promise<void> {
    try {
      await this.execute('rollback transaction');
    } finally {
      this.inTransaction = this.transactionOpen = false;
    }
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

  /** Ends the session (its temporary tables go with it) once its queued jobs ran. */
  async close(): Promise<void> {
    await this.queue.run(async () => this.retire(true));
    await Promise.all([...this.aborting]);
  }
}

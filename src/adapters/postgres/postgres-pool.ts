import pg from 'pg';
import type { Adapter, Row, SqlValue, TableInfo } from '../adapter.js';
import type { Dialect } from '../../dialects/dialect.js';
import { isWarehouseError } from '../warehouse-error.js';
import { bind, clientConfig, DEFAULT_POOL_SIZE, type PostgresConnectionOptions } from './postgres-connection.js';
import { postgresError } from './postgres-errors.js';
import { describePostgresSchemas } from './describe-schemas.js';

/** Seconds an unused pooled session stays open. */
const IDLE_SECONDS = 30;

/**
 * The readers' sessions (token checks, row reads, history, model reads, verify): a `pg.Pool` of at
 * most `pool_size` sessions, opened on demand and closed after 30 s unused, each with the target's
 * settings and the dialect's setup. Statements run one per session at a time, outside transactions
 * (this adapter runs none). A dead session is dropped by the pool; a statement that failed because
 * its session was lost is run once more on another one (readers only read).
 */
export class PostgresPool implements Adapter {
  private readonly pool: pg.Pool;

  constructor(
    readonly dialect: Dialect,
    private readonly options: PostgresConnectionOptions,
  ) {
    this.pool = new pg.Pool({ ...clientConfig(options), max: options.poolSize ?? DEFAULT_POOL_SIZE, idleTimeoutMillis: IDLE_SECONDS * 1000 });
    // an idle session that dies is removed by the pool; the event must not crash the process
    this.pool.on('error', () => undefined);
    this.pool.on('connect', (client) => {
      // queued before the statement the session was opened for, so it runs first
      for (const sql of dialect.sessionSetupSql) client.query(sql).catch(() => undefined);
    });
  }

  private async runOnce(sql: string, params: readonly SqlValue[]): Promise<{ rows: Row[]; rowCount: number | null }> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (err) {
      throw postgresError(err, this.options, 'reconnect');
    }
    let failure: unknown;
    try {
      return await client.query(sql, bind(params));
    } catch (err) {
      failure = postgresError(err, this.options, 'session');
      throw failure;
    } finally {
      // a lost session is destroyed, not returned to the pool
      client.release(isWarehouseError(failure, 'connection-lost') ? (failure as Error) : undefined);
    }
  }

  private async run(sql: string, params: readonly SqlValue[]): Promise<{ rows: Row[]; rowCount: number | null }> {
    try {
      return await this.runOnce(sql, params);
    } catch (err) {
      if (!isWarehouseError(err, 'connection-lost')) throw err;
      return this.runOnce(sql, params);
    }
  }

  async query<T extends Row = Row>(sql: string, params: SqlValue[] = []): Promise<T[]> {
    return (await this.run(sql, params)).rows as T[];
  }

  async execute(sql: string, params: SqlValue[] = []): Promise<number> {
    return (await this.run(sql, params)).rowCount ?? 0;
  }

  begin(): Promise<void> {
    return Promise.reject(new Error('the Postgres reader pool runs no transactions (use the adapter or a fork)'));
  }

  commit(): Promise<void> {
    return this.begin();
  }

  rollback(): Promise<void> {
    return this.begin();
  }

  describeSchemas(schemas: string[]): Promise<TableInfo[]> {
    return describePostgresSchemas(this, schemas);
  }

  async close(): Promise<void> {
    await this.pool.end().catch(() => undefined);
  }
}

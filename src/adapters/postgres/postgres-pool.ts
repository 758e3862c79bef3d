import pg from 'pg';
import type { Row, RowStream, SqlValue, StreamingAdapter, TableInfo } from '../adapter.js';
import type { Dialect } from '../../dialects/dialect.js';
import { isWarehouseError, WarehouseError } from '../warehouse-error.js';
import { bind, clientConfig, DEFAULT_POOL_SIZE, type PostgresConnectionOptions } from './postgres-connection.js';
import { postgresError } from './postgres-errors.js';
import { describePostgresSchemas } from './describe-schemas.js';

/** Seconds an unused pooled session stays open. */
const IDLE_SECONDS = 30;
/** Rows a stream fetches from its cursor at a time. */
export const STREAM_CHUNK_ROWS = 2000;

/**
 * The readers' sessions (token checks, row reads, history, model reads, verify): a `pg.Pool` of at
 * most `pool_size` sessions, opened on demand and closed after 30 s unused, each with the target's
 * settings and the dialect's setup. Statements run one per session at a time, outside transactions
 * (this adapter runs none but the read-only ones of its streams, on a second pool of the same size).
 * A dead session is dropped by the pool; a statement that failed because its session was lost is
 * run once more on another one (readers only read).
 */
export class PostgresPool implements StreamingAdapter {
  private readonly pool: pg.Pool;
  /** The sessions of streamed reads (as many again): a slow download never takes the readers' sessions. */
  private streams: pg.Pool | undefined;

  constructor(
    readonly dialect: Dialect,
    private readonly options: PostgresConnectionOptions,
  ) {
    this.pool = this.newPool();
  }

  private newPool(): pg.Pool {
    const pool = new pg.Pool({ ...clientConfig(this.options), max: this.options.poolSize ?? DEFAULT_POOL_SIZE, idleTimeoutMillis: IDLE_SECONDS * 1000 });
    // an idle session that dies is removed by the pool; the event must not crash the process
    pool.on('error', () => undefined);
    pool.on('connect', (client) => {
      // queued before the statement the session was opened for, so it runs first
      for (const sql of this.dialect.sessionSetupSql) client.query(sql).catch(() => undefined);
    });
    return pool;
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

  /**
   * A large read (a model's rows) chunk by chunk, on a session of its own pool: a cursor in a
   * read-only transaction (`DECLARE … NO SCROLL CURSOR`, `FETCH FORWARD`), so neither this process
   * nor the server holds more than a chunk. A failure midway is thrown by the FETCH that meets it;
   * a session lost between two FETCHes (a client idle past `idle_in_transaction_timeout`, a
   * terminated backend) by the next one, as a `connection-lost` WarehouseError. As with plain
   * reads, a session lost before the first rows is replaced once (nothing was read yet).
   */
  async stream(sql: string, params: SqlValue[] = []): Promise<RowStream> {
    try {
      return await this.openStream(sql, params);
    } catch (err) {
      if (!isWarehouseError(err, 'connection-lost')) throw err;
      return this.openStream(sql, params);
    }
  }

  private async openStream(sql: string, params: SqlValue[]): Promise<RowStream> {
    this.streams ??= this.newPool();
    let client: pg.PoolClient;
    try {
      client = await this.streams.connect();
    } catch (err) {
      if (err instanceof Error && /timeout exceeded when trying to connect/.test(err.message)) {
        throw new WarehouseError('retryable', `every session for streamed reads is busy (${this.options.poolSize ?? DEFAULT_POOL_SIZE}, the target's pool_size): try again`, { cause: err });
      }
      throw postgresError(err, this.options, 'reconnect');
    }
    // pg takes the pool's listener off a checked-out session: a session that dies between two
    // FETCHes would otherwise raise an 'error' nobody listens to, which ends the process
    let lost: unknown;
    const onError = (err: unknown) => void (lost ??= err);
    client.on('error', onError);
    const run = async (statement: string, values: readonly SqlValue[] = []) => {
      try {
        if (lost !== undefined) throw lost;
        return await client.query(statement, bind(values));
      } catch (err) {
        throw postgresError(err, this.options, 'session', lost !== undefined);
      }
    };
    let ended = false;
    /** End the transaction (and the cursor with it), then give the session back: once, whichever way the read ends. */
    const end = async (statement: 'COMMIT' | 'ROLLBACK', failure?: unknown): Promise<void> => {
      if (ended) return;
      ended = true;
      let problem = failure;
      try {
        await run(statement);
      } catch (err) {
        problem ??= err;
        if (statement === 'COMMIT') throw err;
      } finally {
        client.off('error', onError);
        // a lost session is destroyed, not returned to the pool
        const dead = lost !== undefined || isWarehouseError(problem, 'connection-lost');
        client.release(dead ? (problem instanceof Error ? problem : new Error('session lost')) : undefined);
      }
    };
    const fetchChunk = () => run(`FETCH FORWARD ${STREAM_CHUNK_ROWS} FROM _wb_stream`);
    let first: pg.QueryResult;
    try {
      await run('BEGIN READ ONLY');
      await run(`DECLARE _wb_stream NO SCROLL CURSOR FOR ${sql}`, params);
      first = await fetchChunk();
    } catch (err) {
      await end('ROLLBACK', err);
      throw err;
    }
    async function* chunks(): AsyncGenerator<Row[], void, undefined> {
      let result = first;
      try {
        for (;;) {
          if (result.rows.length > 0) yield result.rows as Row[];
          // the end of the rows, or closed by the reader (its session may serve another read by now)
          if (result.rows.length < STREAM_CHUNK_ROWS || ended) break;
          result = await fetchChunk();
        }
        await end('COMMIT');
      } catch (err) {
        await end('ROLLBACK', err);
        throw err;
      } finally {
        // abandoned by its reader
        await end('ROLLBACK');
      }
    }
    const close = () => void end('ROLLBACK');
    return { columns: first.fields.map((f) => f.name), chunks, close };
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
    await this.streams?.end().catch(() => undefined);
  }
}

import type pg from 'pg';
import type { Adapter, BulkAppendAdapter, BulkColumn, BulkRows, BulkTarget, Row, SqlValue, TableInfo } from '../adapter.js';
import type { Dialect } from '../../dialects/dialect.js';
import { isWarehouseError, WarehouseError } from '../warehouse-error.js';
import { bind, connectSession, type PostgresConnectionOptions, type PostgresSession } from './postgres-connection.js';
import { postgresError } from './postgres-errors.js';
import { PostgresPool } from './postgres-pool.js';
import { describePostgresSchemas } from './describe-schemas.js';

export type { PostgresConnectionOptions } from './postgres-connection.js';

/** How long a forked session (a table writer's) may stay unused before it is closed. */
const IDLE_SESSION_CLOSE_MS = 60_000;

/** A statement that only reads (safe to run again on a new session when the first one dropped mid-statement). */
const READ = /^\s*(select|show)\b/i;

/**
 * One Postgres session at a time through `pg` (8.x). `fork()` gives another adapter with its own
 * session (the write path gives each table writer one: group commit and temporary key tables need
 * it); `forkReader()` a pool the readers share. Every session gets the target's settings in its
 * startup message and runs the dialect's setup (`set time zone 'UTC'`).
 *
 * A session that is lost (terminated, server restarted, network cut) is replaced on the next call
 * outside a transaction, and `sessionNumber` moves on (its temporary tables are gone). Inside a
 * transaction nothing is replayed: the statement fails as `connection-lost`, the transaction is over,
 * and the next `begin` opens a new session. A read that failed because its session dropped
 * mid-statement, outside a transaction, is run once more on a new one.
 */
export class PostgresAdapter implements Adapter, BulkAppendAdapter {
  private session: PostgresSession | undefined;
  private opening: Promise<PostgresSession> | undefined;
  /** Sessions opened so far. */
  private opened: number;
  /** The session of the open transaction (never replaced while it is open). */
  private tx: PostgresSession | undefined;
  /** Statements in flight. */
  private busy = 0;
  private idleTimer: NodeJS.Timeout | undefined;

  private constructor(
    readonly dialect: Dialect,
    private options: PostgresConnectionOptions,
    session: PostgresSession | undefined,
    /** Close the session after this long unused (forks); the next statement opens a new one. */
    private readonly idleCloseMs?: number,
  ) {
    this.session = session;
    this.opened = session ? 1 : 0;
  }

  /** Connect and prepare the session; connection failures become UsageErrors with a hint. */
  static async open(options: PostgresConnectionOptions, dialect: Dialect): Promise<PostgresAdapter> {
    let resolved = options;
    const session = await connectSession(options, dialect, 'connect', () => (resolved = { ...options, sslmode: 'disable' }));
    return new PostgresAdapter(dialect, resolved, session);
  }

  /**
   * The session the next statement runs on: it moves on as soon as pg reported the current one
   * dead, so a caller that keeps temporary tables re-creates them before its next transaction.
   */
  get sessionNumber(): number {
    return this.opened + (this.session === undefined || this.session.lost ? 1 : 0);
  }

  /**
   * Another adapter with the same settings. Its session opens at its first statement and closes
   * after `idleSessionCloseMs` unused (a table that is not being written holds no connection);
   * the next statement opens a new one, with a new `sessionNumber`.
   */
  fork(): Promise<PostgresAdapter> {
    return Promise.resolve(new PostgresAdapter(this.dialect, this.options, undefined, this.options.idleSessionCloseMs ?? IDLE_SESSION_CLOSE_MS));
  }

  /** A pool of sessions (`pool_size`) for reads outside transactions, shared by every reader of the process. */
  forkReader(): Promise<Adapter> {
    return Promise.resolve(new PostgresPool(this.dialect, this.options));
  }

  /** The live session, opening a new one when there is none or pg reported it dead. */
  private live(): Promise<PostgresSession> {
    if (this.session && !this.session.lost) return Promise.resolve(this.session);
    this.opening ??= (async () => {
      const old = this.session;
      this.session = undefined;
      if (old) void old.client.end().catch(() => undefined);
      try {
        const session = await connectSession(this.options, this.dialect, 'reconnect', () => (this.options = { ...this.options, sslmode: 'disable' }));
        this.session = session;
        this.opened++;
        return session;
      } finally {
        this.opening = undefined;
      }
    })();
    return this.opening;
  }

  private async run(sql: string, params: readonly SqlValue[]): Promise<{ rows: Row[]; rowCount: number | null }> {
    if (this.tx) return this.runOn(this.tx, sql, params);
    const session = await this.live();
    try {
      return await this.runOn(session, sql, params);
    } catch (err) {
      if (!isWarehouseError(err, 'connection-lost') || !READ.test(sql)) throw err;
      session.lost = true;
      return this.runOn(await this.live(), sql, params);
    }
  }

  private runOn(session: PostgresSession, sql: string, params: readonly SqlValue[]): Promise<{ rows: Row[]; rowCount: number | null }> {
    return this.onSession(session, (client) => client.query(sql, bind(params)));
  }

  /**
   * Run `fn` with the session's client (statements, COPY streams): failures translated
   * (postgres-errors.ts), the idle close held off meanwhile. Inside a transaction pass its session.
   */
  private async onSession<T>(session: PostgresSession, fn: (client: pg.Client) => Promise<T>): Promise<T> {
    if (session.lost) throw new WarehouseError('connection-lost', `the connection to Postgres at ${this.options.host}:${this.options.port} was lost`);
    this.busy++;
    clearTimeout(this.idleTimer);
    try {
      return await fn(session.client);
    } catch (err) {
      throw postgresError(err, this.options, 'session', session.lost);
    } finally {
      this.busy--;
      this.closeWhenIdle();
    }
  }

  /** Arm the idle close: only with no statement in flight and no transaction open. */
  private closeWhenIdle(): void {
    if (this.idleCloseMs === undefined || this.busy > 0 || this.tx) return;
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      if (this.busy > 0 || this.tx || this.opening || !this.session) return;
      const session = this.session;
      this.session = undefined;
      void session.client.end().catch(() => undefined);
    }, this.idleCloseMs);
    this.idleTimer.unref();
  }

  async query<T extends Row = Row>(sql: string, params: SqlValue[] = []): Promise<T[]> {
    return (await this.run(sql, params)).rows as T[];
  }

  async execute(sql: string, params: SqlValue[] = []): Promise<number> {
    return (await this.run(sql, params)).rowCount ?? 0;
  }

  /**
   * Append rows in bulk with `COPY … FROM STDIN` (see postgres-copy.ts), inside the open
   * transaction when there is one. pg-copy-streams is loaded here, on first use, after `pg`: the
   * registry loads it when it opens a Postgres target and names it when it is not installed.
   */
  async appendBulk(target: BulkTarget, columns: readonly BulkColumn[], rows: BulkRows): Promise<void> {
    const { copyRows } = await import('./postgres-copy.js');
    await this.onSession(this.tx ?? (await this.live()), (client) => copyRows(client, this.dialect, target, columns, rows));
  }

  /**
   * BEGIN at READ COMMITTED, whatever the server's or the database's default: the write path's
   * chain-head compare-and-set and its retries are designed for it. The transaction stays on the
   * session it began on.
   */
  async begin(): Promise<void> {
    const session = await this.live();
    await this.runOn(session, 'begin isolation level read committed', []);
    this.tx = session;
  }

  /** COMMIT; a `connection-lost` failure here leaves the outcome unknown (run-transaction.ts says so). */
  async commit(): Promise<void> {
    const session = this.tx;
    this.tx = undefined;
    if (!session) throw new Error('commit without a transaction');
    await this.runOn(session, 'commit', []);
  }

  /** ROLLBACK; on a lost session there is nothing left to roll back (the server ended the transaction). */
  async rollback(): Promise<void> {
    const session = this.tx;
    this.tx = undefined;
    if (!session || session.lost) return;
    try {
      await this.runOn(session, 'rollback', []);
    } catch (err) {
      if (!isWarehouseError(err, 'connection-lost')) throw err;
    }
  }

  /** Tables and views with their columns and the key columns of their plain indexes (describe-schemas.ts). */
  describeSchemas(schemas: string[]): Promise<TableInfo[]> {
    return describePostgresSchemas(this, schemas);
  }

  async close(): Promise<void> {
    clearTimeout(this.idleTimer);
    const session = this.session;
    this.session = undefined;
    if (session) await session.client.end().catch(() => undefined);
  }
}

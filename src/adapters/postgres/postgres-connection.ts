import type { ConnectionOptions } from 'node:tls';
import pg from 'pg';
import type { Dialect } from '../../dialects/dialect.js';
import { plainValue, type SqlValue } from '../../dialects/sql-value.js';
import { postgresError } from './postgres-errors.js';

/** How a session uses TLS, as libpq's `sslmode` (`prefer` is libpq's default). */
export type SslMode = 'disable' | 'prefer' | 'require' | 'verify-ca' | 'verify-full';

/** Connection settings of a Postgres target (after `{{ env() }}` resolution). */
export interface PostgresConnectionOptions {
  host: string;
  port: number;
  database: string;
  user: string;
  password?: string;
  /**
   * `prefer` (default: TLS when the server offers it, else plain), `disable`, `require` (TLS,
   * certificate not checked unless `sslCa` is given), `verify-ca` (certificate signed by `sslCa`),
   * `verify-full` (and issued for `host`; `sslCa` or the system's CAs).
   */
  sslmode?: SslMode;
  /** PEM text of the CA certificate(s) the server's certificate must chain to. */
  sslCa?: string;
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
  /** Most connections of the shared reader pool (default {@link DEFAULT_POOL_SIZE}). */
  poolSize?: number;
  /** Milliseconds a forked session (a table writer's) stays open unused (default 60 s). */
  idleSessionCloseMs?: number;
}

/** Default of `idle_in_transaction_timeout`, in seconds. */
export const IDLE_IN_TRANSACTION_TIMEOUT_SECONDS = 60;

/** Default of `pool_size`: connections the readers of one process share. */
export const DEFAULT_POOL_SIZE = 4;

const INT8 = 20;
const NUMERIC = 1700;
const DATE = 1082;
const TIMESTAMP = 1114;

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

/** node-pg's `ssl` setting for a mode (`prefer` tries TLS first, as `require`). */
function sslConfig(options: PostgresConnectionOptions): false | ConnectionOptions {
  const ca = options.sslCa !== undefined ? { ca: options.sslCa } : {};
  switch (options.sslmode ?? 'prefer') {
    case 'disable':
      return false;
    case 'prefer':
      return { rejectUnauthorized: false };
    case 'require':
      // as libpq: with a CA file, require checks the chain like verify-ca
      return options.sslCa !== undefined ? { ...ca, rejectUnauthorized: true, checkServerIdentity: () => undefined } : { rejectUnauthorized: false };
    case 'verify-ca':
      return { ...ca, rejectUnauthorized: true, checkServerIdentity: () => undefined };
    case 'verify-full':
      return { ...ca, rejectUnauthorized: true };
  }
}

/**
 * node-pg's client settings: the session settings travel in the startup message (milliseconds,
 * 0 = no bound), so every new session — a reconnect, a pooled one — gets them.
 */
export function clientConfig(options: PostgresConnectionOptions): pg.ClientConfig {
  return {
    host: options.host,
    port: options.port,
    database: options.database,
    user: options.user,
    password: options.password,
    ssl: sslConfig(options),
    connectionTimeoutMillis: (options.connectTimeoutSeconds ?? 10) * 1000,
    application_name: options.applicationName ?? 'writeback',
    statement_timeout: (options.statementTimeoutSeconds ?? 0) * 1000,
    lock_timeout: (options.lockTimeoutSeconds ?? 0) * 1000,
    idle_in_transaction_session_timeout: (options.idleInTransactionTimeoutSeconds ?? IDLE_IN_TRANSACTION_TIMEOUT_SECONDS) * 1000,
    types: typeParsers,
  };
}

/** A connected client and whether pg has reported it dead (an 'error' or 'end' event). */
export interface PostgresSession {
  readonly client: pg.Client;
  lost: boolean;
}

/** node-pg's answer when `ssl` is asked of a server without TLS. */
const NO_TLS = 'The server does not support SSL connections';

/**
 * Open one session and run the dialect's setup (`set time zone 'UTC'`). Under `prefer`, a server
 * without TLS is connected to in plain text; `onPlain` is told, so later sessions skip the TLS try.
 * Failures are translated for `phase` (postgres-errors.ts).
 */
export async function connectSession(
  options: PostgresConnectionOptions,
  dialect: Dialect,
  phase: 'connect' | 'reconnect',
  onPlain?: () => void,
): Promise<PostgresSession> {
  try {
    return await connectOnce(options, dialect);
  } catch (err) {
    if ((options.sslmode ?? 'prefer') === 'prefer' && err instanceof Error && err.message === NO_TLS) {
      onPlain?.();
      try {
        return await connectOnce({ ...options, sslmode: 'disable' }, dialect);
      } catch (plainErr) {
        throw postgresError(plainErr, options, phase);
      }
    }
    throw postgresError(err, options, phase);
  }
}

async function connectOnce(options: PostgresConnectionOptions, dialect: Dialect): Promise<PostgresSession> {
  const client = new pg.Client(clientConfig(options));
  const session: PostgresSession = { client, lost: false };
  // a dropped connection must not crash the process: the adapter notices and opens a new session
  client.on('error', () => (session.lost = true));
  client.on('end', () => (session.lost = true));
  try {
    await client.connect();
    for (const sql of dialect.sessionSetupSql) await client.query(sql);
  } catch (err) {
    await client.end().catch(() => undefined);
    throw err;
  }
  return session;
}

/** Bound values as node-pg sends them: instants as ISO text with `Z` (never the client's local time). */
export function bind(params: readonly SqlValue[]): unknown[] {
  return params.map(plainValue).map((p) => (p instanceof Date ? p.toISOString() : p));
}

import type { Actor } from '../auth/actor.js';
import type { Outcome } from '../rules/outcome.js';

/** The limits of one SQL session. */
export interface SqlSessionLimits {
  /** Longest a statement may run before it is interrupted (57014); `SET statement_timeout` may only lower it. Default 30,000. */
  statementTimeoutMs: number;
  /** Most rows one statement may return; one more fails it with 54000 (never a silent truncation). Default 1,000,000. */
  maxRows: number;
}

/** A Postgres type as a client sees it in RowDescription / ParameterDescription. */
export interface PgType {
  /** The type's OID in pg_type (e.g. 25 text, 20 int8, 1700 numeric). */
  oid: number;
  /** Its name in pg_type (`text`, `int8`, `numeric`, `_int4` …). */
  name: string;
  /** pg_type.typlen: bytes of a fixed-size type, -1 for variable length. */
  size: number;
  /** The type modifier (atttypmod), -1 when none. */
  modifier: number;
}

/** One result column. */
export interface SqlColumn {
  name: string;
  type: PgType;
}

/** What a statement will return, without running it (Describe). */
export interface SqlDescription {
  /** Result columns; [] for statements that return no rows (SET, BEGIN, …). */
  columns: SqlColumn[];
  /** The type of each `$n` parameter (text when the engine cannot tell). */
  paramTypes: PgType[];
}

/** One value in Postgres text format, or SQL NULL. */
export type SqlValueText = string | null;

/** What a statement did. */
export interface SqlOutcome {
  /** Command tag for CommandComplete: 'SELECT 12', 'SET', 'BEGIN', 'COMMIT', 'SHOW', 'ROLLBACK'; '' for an empty query. */
  tag: string;
  /** The result columns (as `describe` gives them); [] for statements without rows. */
  columns: SqlColumn[];
  /** Settings changed by the statement that a client must be told of (ParameterStatus), e.g. DateStyle. */
  parameterStatus?: Record<string, string>;
}

/** A refused or failed statement, with the Postgres SQLSTATE a client expects. */
export class SqlError extends Error {
  constructor(
    /** Five-character SQLSTATE, e.g. 25006 read_only_sql_transaction, 42P01 undefined_table. */
    readonly sqlstate: string,
    message: string,
    /** ErrorResponse D field. */
    readonly detail?: string,
    /** ErrorResponse H field. */
    readonly hint?: string,
    /** ErrorResponse P field: 1-based character position in the statement. */
    readonly position?: number,
  ) {
    super(message);
    this.name = 'SqlError';
  }
}

/** Options of one `run`. */
export interface SqlRunOptions {
  /** Per result column: send it in binary format (a Buffer) instead of text. Missing entries: text. */
  binaryColumns?: boolean[];
  /** Execute's row limit: stop after this many rows (portal suspension is the wire's concern). */
  maxRows?: number;
}

/** One BI connection: one actor, one dedicated engine connection, a catalog of what the actor may read. */
export interface SqlSession {
  /** The actor's user id. */
  readonly user: string;
  /** What `current_database()` answers (and `\l` lists). */
  readonly database: string;
  /** Result columns and parameter types of one statement, without running it. Rejects with SqlError. */
  describe(sql: string, paramTypeOids?: number[]): Promise<SqlDescription>;
  /**
   * Run one statement; `onRow` gets each row as Postgres text values (or binary Buffers when
   * `binaryColumns[i]`), in order, with backpressure (it is awaited). Rejects with SqlError.
   */
  run(sql: string, params: (string | Buffer | null)[], onRow: (row: (string | Buffer | null)[]) => void | Promise<void>, opts?: SqlRunOptions): Promise<SqlOutcome>;
  /**
   * The statements of a simple-query string, in order (split at top-level semicolons, outside
   * strings, quoted names and comments); each is then given to `run` on its own.
   */
  split(sql: string): string[];
  /** Cancel the running statement (a CancelRequest): it fails with 57014. */
  cancel(): void;
  /** Transaction status for ReadyForQuery. */
  readonly transactionStatus: 'idle' | 'transaction' | 'error';
  /** Close the session: its engine connection and its catalog. Idempotent. */
  close(): Promise<void>;
}

/**
 * Opens sessions over one open project: `openSqlSession(wb, actor, limits)`
 * (src/sqlsession/open-sql-session.ts; sqlsession sits above library/, so the facade is a function
 * taking the `Writeback` rather than a method on it). A role that may read nothing is
 * `{ ok: false, error: { code: 'forbidden', message } }` (the wire answers FATAL 28000 with the
 * message); a target other than DuckDB is `bad_request`. Token → actor is `wb.tokens.signIn`, the
 * rule the HTTP bearer path uses.
 */
export type SqlSessionOpener = (
  actor: Actor | undefined,
  limits?: Partial<SqlSessionLimits>,
  /** The client's start-up parameters; those in `STARTUP_SETTINGS` (e.g. application_name) become the session's initial settings. */
  startup?: Readonly<Record<string, string>>,
) => Promise<Outcome<{ session: SqlSession }>>;

/** Defaults of `SqlSessionLimits`. */
export const DEFAULT_SQL_LIMITS: SqlSessionLimits = { statementTimeoutMs: 30_000, maxRows: 1_000_000 };

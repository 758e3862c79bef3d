import type { ColumnType, Scalar } from '../ir/types.js';
import type { SqlValue, SystemType } from './sql-value.js';

export type { SystemType };

/**
 * How patiently a write transaction that lost a race or met a busy warehouse is tried again:
 * `retries` extra attempts, waiting `firstDelayMs` before the first, doubling up to `maxDelayMs`
 * (each wait jittered down to half, so writers that collided spread out).
 */
export interface RetryBudget {
  readonly retries: number;
  readonly firstDelayMs: number;
  readonly maxDelayMs: number;
}

/**
 * How a table grows, for warehouses that lay tables out by it (BigQuery partitions and clusters;
 * the others ignore it): the timestamp column its rows arrive by, and the columns it is looked up by.
 */
export interface TableLayout {
  /** A timestamp column: the table is partitioned by its day. */
  partitionByDay?: string;
  /** Columns lookups filter on, most selective last (a dialect may take only those it can cluster by). */
  clusterBy?: { name: string; type: ColumnType | { kind: 'system'; type: SystemType } }[];
}

/**
 * A dialect produces SQL text for one warehouse; it never runs anything.
 * The compiler reads capability flags and never branches on `name`.
 * Most dialects extend `BaseDialect` (./base-dialect.ts) and override a few members.
 */
export interface Dialect {
  /** Registry name, also the `type` of a target in project.yml (`duckdb`, …). */
  readonly name: string;
  /** Language name for sql-formatter. */
  readonly formatterLanguage: 'duckdb' | 'snowflake' | 'bigquery' | 'postgresql';
  /** sql-formatter parameter style for this dialect's placeholders. */
  readonly formatterParams: Record<string, unknown>;

  // capability flags
  /** DDL may run inside a transaction and roll back with it. */
  readonly transactionalDdl: boolean;
  /** `create or replace view` may change the view's columns; when false, a view is dropped and re-created. */
  readonly replaceViewChangesColumns: boolean;
  /**
   * `create or replace view` drops the grants given on the view unless it says `copy grants`
   * (Snowflake): when true, a replaced view keeps them (a BI role granted `select` on a latest
   * alias keeps reading it when apply re-points the alias).
   */
  readonly replaceViewCopiesGrants: boolean;
  /** How the write path upserts a state row: `merge into … using` or `insert … on conflict do update`. */
  readonly upsertStyle: 'merge' | 'on-conflict';
  /** Primary keys in CREATE TABLE: `enforced`, `not-enforced` (written `primary key (…) not enforced`), or `none`. */
  readonly primaryKeys: 'enforced' | 'not-enforced' | 'none';
  /** Keyword of `select t.* <kw> (cols)` that leaves columns out (`exclude`, BigQuery `except`); undefined when unsupported. */
  readonly starExcludeKeyword: 'exclude' | 'except' | undefined;
  /** `select t.* replace (expr as col)` replaces a column in place, keeping column order. */
  readonly supportsStarReplace: boolean;
  /** `alter table s.t rename to <new>` wants a qualified new name (Snowflake) rather than a bare one. */
  readonly renameToQualified: boolean;
  /** A backslash escapes the next character inside a string literal (Snowflake, BigQuery). */
  readonly backslashEscapesInStrings: boolean;
  /** A subquery in FROM/JOIN must have an alias (Postgres before 16); the renderer adds one to `input('t')` when the SQL gives none. */
  readonly derivedTableNeedsAlias: boolean;
  /**
   * `cross join lateral (<subquery>)` may refer to columns of the relations before it from any depth
   * of the subquery (inside CTEs, windows, GROUP BY): SQL models' `__by_scenario` views need it.
   */
  readonly lateralJoins: boolean;
  /** How the warehouse stores the names `quoteIdent` writes: `as-written`, or `upper` (Snowflake folds all-lower-case names, so result columns come back upper-case). */
  readonly identifierCase: 'as-written' | 'upper';
  /** Longest identifier the warehouse keeps intact (Postgres silently truncates at 63 bytes); undefined when practically unlimited. */
  readonly maxIdentifierLength: number | undefined;
  /** The write path locks a table's chain-head row before reading (READ COMMITTED warehouses with several writer processes). */
  readonly lockChainHeadFirst: boolean;
  /**
   * Where each input's chain head lives: `per-input`, a one-row table `<t>__head` of its own
   * (Snowflake's DML locks a whole table and BigQuery aborts concurrent DML on one, so writers of
   * different inputs must not share a table); `shared`, a row of `_wb_heads` keyed by the input
   * (DuckDB: its writers conflict per row, and every table, however small, costs catalog load time
   * on open and a storage block at checkpoint — 1,000 one-row tables made a file 76 MB larger).
   */
  readonly chainHeads: 'per-input' | 'shared';
  /**
   * How write transactions are retried after a `conflict` or `retryable` failure, scaled to the
   * warehouse's transaction times (milliseconds on DuckDB and Postgres, seconds on Snowflake,
   * many seconds on BigQuery), so the budget outlasts a queue of other writers' transactions.
   */
  readonly writeRetry: RetryBudget;
  /** Statements an adapter runs on each new session so that timestamps are read and written in UTC (empty when not needed). */
  readonly sessionSetupSql: readonly string[];
  /**
   * The warehouse has B-tree indexes (`create index on t (…)`) and writeback creates them on input
   * logs (managed/tables.ts `logIndexes`); false where scans are pruned otherwise (DuckDB's
   * min/max zone maps over the ever-growing `_seq`) or indexes do not exist.
   */
  readonly logIndexes: boolean;
  /**
   * The state table of an input carries `_key` (scenario + key as one text, managed/tables.ts
   * `stateKeySql`) as its primary key, and the write path finds and updates rows by it: DuckDB
   * answers a filter or join from an index only on one column (a composite key is scanned whole).
   * False: the primary key is (`_scenario`, key columns), read and written by those columns.
   */
  readonly stateKeyColumn: boolean;
  /**
   * The write path binds a small group's entries (≤ 32) as `(values (…), (…)) as e(…)` rather than
   * a `union all` of one-row selects: DuckDB runs the list in ~0.75× the time.
   * False where VALUES takes no expressions (Snowflake) or does not exist (BigQuery).
   */
  readonly valuesRelation: boolean;
  /**
   * The write path writes the state rows of a small group whose keys are partly new as an update
   * of the keys that have a row, then an insert of the others, rather than one upsert: DuckDB's
   * `insert … on conflict` of such a group takes ~1.4× the pair (with VALUES lists, the pair
   * writes a group of 8–16 entries in ~0.6× the time of the union-all upsert).
   */
  readonly splitMixedUpsert: boolean;

  /** Quote an identifier that `validate` has already checked. */
  quoteIdent(name: string): string;
  /** `schema.name` (or `database.schema.name`), quoted. */
  qualify(schema: string, name: string, database?: string): string;
  /** Placeholder for the i-th bound parameter (1-based). */
  param(index: number): string;
  /** LIMIT (and OFFSET) take bound parameters; false: whole-number constants only (Snowflake). */
  readonly boundLimit: boolean;
  /**
   * `limit n[ offset m]` for a page, the clause that ends a select: both bound (pushed onto
   * `params`) where the warehouse takes parameters there, else inlined. Either way they must be
   * non-negative safe integers (a caller's bug otherwise: it throws), so no text reaches SQL.
   */
  limitClause(params: SqlValue[], limit: number, offset?: number): string;
  /** A SQL literal for a value that comes from project YAML (vars, enum values) — never from a request. */
  literal(value: Scalar): string;
  /** SQL type of a portable column type. */
  columnType(type: ColumnType | { kind: 'system'; type: SystemType }): string;
  /** Expression that is true when `haystack` contains `needle` (both SQL expressions); null when `haystack` is null. */
  strContains(haystack: string, needle: string): string;
  /** Text appended to `create table … (…)` to lay the table out (` partition by … cluster by …`); '' where the warehouse has no such options. */
  tableLayoutSql(layout: TableLayout): string;
}

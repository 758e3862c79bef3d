import type { ColumnType, Scalar } from '../project/types.js';
import type { SystemType } from '../managed/tables.js';

/**
 * A dialect produces SQL text for one warehouse; it never runs anything.
 * The compiler reads capability flags and never branches on `name`.
 */
export interface Dialect {
  /** Registry name, also the `type` of a target in project.yml (`duckdb`, …). */
  readonly name: string;
  /** Language name for sql-formatter. */
  readonly formatterLanguage: 'duckdb' | 'snowflake' | 'bigquery' | 'postgresql';
  /** sql-formatter parameter style for this dialect's placeholders. */
  readonly formatterParams: Record<string, unknown>;

  // capability flags
  /** `QUALIFY` may filter window results. */
  readonly supportsQualify: boolean;
  /** DDL may run inside a transaction and roll back with it. */
  readonly transactionalDdl: boolean;

  /** Quote an identifier that `validate` has already checked. */
  quoteIdent(name: string): string;
  /** `schema.name` (or `database.schema.name`), quoted. */
  qualify(schema: string, name: string, database?: string): string;
  /** Placeholder for the i-th bound parameter (1-based). */
  param(index: number): string;
  /** A SQL literal for a value that comes from project YAML (vars, enum values) — never from a request. */
  literal(value: Scalar): string;
  /** SQL type of a portable column type. */
  columnType(type: ColumnType | { kind: 'system'; type: SystemType }): string;
  /** Expression that is true when `haystack` contains `needle` (both SQL expressions). */
  strContains(haystack: string, needle: string): string;
}

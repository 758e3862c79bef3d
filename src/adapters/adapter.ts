import type { Dialect } from '../dialects/dialect.js';

/** A bound parameter value. Decimals travel as strings, timestamps as Date, big integers as bigint. */
export type SqlValue = string | number | bigint | boolean | Date | null;

/** One row as plain JS values (decimals as strings, timestamps as Date, BIGINT as bigint when beyond 2^53). */
export type Row = Record<string, unknown>;

/** Columns discovered in the warehouse for one table. */
export interface TableInfo {
  schema: string;
  name: string;
  kind: 'table' | 'view';
  columns: { name: string; dataType: string }[];
}

/**
 * Runs SQL that a dialect produced. Adapters never build SQL from user values:
 * values always arrive as bound parameters (placeholders in the dialect's style).
 */
export interface Adapter {
  readonly dialect: Dialect;
  /** Run a statement for its rows. */
  query<T extends Row = Row>(sql: string, params?: SqlValue[]): Promise<T[]>;
  /** Run a statement for its effect; returns the number of rows changed where the warehouse reports it. */
  execute(sql: string, params?: SqlValue[]): Promise<number>;
  /** Run `fn` in one transaction on one connection: commit on success, roll back on throw. */
  transaction<T>(fn: (tx: Adapter) => Promise<T>): Promise<T>;
  /** Tables and views (with columns) in the given schemas. */
  describeSchemas(schemas: string[]): Promise<TableInfo[]>;
  close(): Promise<void>;
}

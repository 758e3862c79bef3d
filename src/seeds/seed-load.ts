import type { Dialect } from '../dialects/dialect.js';
import type { SqlValue } from '../dialects/sql-value.js';
import type { ColumnType } from '../ir/types.js';

/** One CSV file to load into a table (what a plan's `load-seed` operation carries). */
export interface SeedLoad {
  /** Path relative to the project directory, as declared. */
  file: string;
  /** Absolute path read by the warehouse (or by the loader). */
  path: string;
  table: { schema: string; name: string };
  /** Column name → portable type, overriding the inferred types. */
  columnTypes: Record<string, ColumnType>;
}

/** How one warehouse loads a CSV file into a table: statements with bound parameters. */
export interface SeedLoader {
  /** Statements that (re)create `load.table` from the CSV at `load.path`, replacing what was there. */
  loadSql(dialect: Dialect, load: SeedLoad): { sql: string; params: SqlValue[] }[];
}

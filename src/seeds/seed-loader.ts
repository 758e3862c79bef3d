import type { Dialect } from '../dialects/dialect.js';
import type { SqlValue } from '../adapters/adapter.js';
import type { LoadSeedOp } from '../plan/operation.js';
import { duckdbCsvLoader } from './duckdb-csv-loader.js';
import { valuesCsvLoader } from './values-csv-loader.js';

/** How one warehouse loads a CSV file into a table: statements with bound parameters. */
export interface SeedLoader {
  /** Statements that (re)create `op.table` from the CSV at `op.path`, replacing what was there. */
  loadSql(dialect: Dialect, op: LoadSeedOp): { sql: string; params: SqlValue[] }[];
}

/** Loaders by dialect name; a warehouse without one cannot load seeds (plan warns and skips them). */
const LOADERS: Record<string, SeedLoader> = {
  duckdb: duckdbCsvLoader,
  postgres: valuesCsvLoader,
  snowflake: valuesCsvLoader,
  bigquery: valuesCsvLoader,
};

/** The seed loader for a dialect, if it has one. */
export function seedLoaderFor(dialect: Dialect): SeedLoader | undefined {
  return Object.hasOwn(LOADERS, dialect.name) ? LOADERS[dialect.name] : undefined;
}

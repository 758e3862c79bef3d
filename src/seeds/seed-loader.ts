import type { Dialect } from '../dialects/dialect.js';
import { duckdbCsvLoader } from './duckdb-csv-loader.js';
import type { SeedLoader } from './seed-load.js';
import { valuesCsvLoader } from './values-csv-loader.js';

export type { SeedLoad, SeedLoader } from './seed-load.js';

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

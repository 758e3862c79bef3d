import type { Dialect } from './dialect.js';
import { bigqueryDialect } from './bigquery/bigquery-dialect.js';
import { duckdbDialect } from './duckdb/duckdb-dialect.js';
import { postgresDialect } from './postgres/postgres-dialect.js';
import { snowflakeDialect } from './snowflake/snowflake-dialect.js';

/** Every dialect, by name. A new warehouse adds one line here (dialects import no SDK). */
const DIALECTS: Record<string, Dialect> = {
  [duckdbDialect.name]: duckdbDialect,
  [snowflakeDialect.name]: snowflakeDialect,
  [bigqueryDialect.name]: bigqueryDialect,
  [postgresDialect.name]: postgresDialect,
};

/** The dialect registered under `name` (a target's `type`), or undefined. */
export function findDialect(name: string): Dialect | undefined {
  return Object.hasOwn(DIALECTS, name) ? DIALECTS[name] : undefined;
}

/** The dialect registered under `name`; throws `UnknownDialectError` (message names the known ones) when there is none. */
export function getDialect(name: string): Dialect {
  const dialect = findDialect(name);
  if (!dialect) throw new UnknownDialectError(name);
  return dialect;
}

/** A target type with no SQL dialect in this version (its message is meant for people). */
export class UnknownDialectError extends Error {
  override readonly name = 'UnknownDialectError';
  constructor(readonly dialect: string) {
    super(`no SQL dialect '${dialect}' in this version (known: ${Object.keys(DIALECTS).join(', ')})`);
  }
}

/** Every registered dialect, for shared rule tests and `--help` output. */
export function listDialects(): Dialect[] {
  return Object.values(DIALECTS);
}

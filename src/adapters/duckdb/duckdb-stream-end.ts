import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';

// DuckDB's node API ends a streaming result that fails midway (a cast, an overflow, error(), out of
// memory) exactly like one that is exhausted: the next chunk is empty and the result's error is
// not exposed (node-api 1.5.6-r.1). An error raised while the statement executes does abort the
// transaction it runs in, though (the kinds that do not — binder, catalog, parser, permission —
// are raised before the first row), so a statement run after the last chunk tells the two apart.
// Every streamed read (the adapter's stream() and readQuery(), the SQL session's statements) runs
// in a transaction and asks this before it reports its result whole.

/** DuckDB's answer to any statement in a transaction that an error aborted. */
const ABORTED = /^TransactionContext Error: Current transaction is aborted/;

/**
 * True when the streaming result just read on `conn` stopped on an error rather than at its end.
 * `conn` must be in an explicit transaction (BEGIN), and the result's last chunk read.
 */
export async function streamFailed(conn: DuckDBConnection): Promise<boolean> {
  try {
    await conn.run('select 1');
    return false;
  } catch (err) {
    if (err instanceof Error && ABORTED.test(err.message)) return true;
    throw err;
  }
}

/**
 * The error a stream that {@link streamFailed} stopped on after `read` rows. Its transaction is
 * rolled back; then, in a new one that the caller ends, `select` runs again reduced to one count of
 * rows where every value was computed, which raises the failure again with DuckDB's message (a
 * plain count would skip the failing column: DuckDB reads only the columns a query uses). Where
 * that does not fail (data changed meanwhile, a statement that cannot be nested in a FROM), the
 * error says what is known.
 */
export async function streamError(conn: DuckDBConnection, select: string, params: DuckDBValue[], read: number): Promise<Error> {
  await conn.run('ROLLBACK');
  await conn.run('BEGIN TRANSACTION');
  try {
    await conn.run(`select count(*) from (${select}\n) where hash(columns(*)) is not null`, params);
  } catch (err) {
    if (err instanceof Error && !/^(Failed to extract statements: )?Parser Error/.test(err.message)) return err;
  }
  return new Error(`the read failed in the warehouse after ${read} rows (DuckDB does not say why while it streams a result, and running the statement again did not tell)`);
}

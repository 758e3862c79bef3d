import type { Adapter } from '../adapters/adapter.js';

/** An adapter that can open another connection to the same database instance (DuckDB). */
export interface ForkingAdapter extends Adapter {
  fork(): Promise<Adapter>;
}

/** True when the adapter can open a second connection on its own instance. */
export function canFork(adapter: Adapter): adapter is ForkingAdapter {
  return typeof (adapter as Partial<ForkingAdapter>).fork === 'function';
}

/**
 * A dedicated connection for publishing snapshots, or undefined when snapshots make no sense:
 * the adapter cannot share its instance (a cloud warehouse: every BI tool connects on its own)
 * or the database is in memory.
 */
export async function openSnapshotConnection(adapter: Adapter): Promise<Adapter | undefined> {
  if (!canFork(adapter)) return undefined;
  const conn = await adapter.fork();
  // Only an embedded DuckDB file answers this; any other forking adapter gets no snapshot.
  const db = await conn
    .query<{ path: string | null }>('select path from duckdb_databases() where database_name = current_database()')
    .then((rows) => rows[0], () => undefined);
  if (!db?.path) {
    await conn.close();
    return undefined;
  }
  return conn;
}

import { IDEMPOTENCY_TABLE, SESSIONS_TABLE, TOKENS_TABLE, USERS_TABLE } from '../managed/names.js';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Adapter } from '../adapters/adapter.js';
import { runTransaction } from '../adapters/run-transaction.js';

/** Options of {@link writeSnapshot}. */
export interface WriteSnapshotOptions {
  /** Final path of the snapshot, e.g. `<project>/target/snapshot.duckdb`. */
  path: string;
  /** Tables copied without their rows (and then dropped): credentials and other server-private data. */
  isPrivateTable?: (schema: string, table: string) => boolean;
}

/** What one snapshot did. */
export interface SnapshotResult {
  path: string;
  /** Tables copied with their rows. */
  tables: number;
  /** Wall time in milliseconds. */
  ms: number;
}

/** Default for {@link WriteSnapshotOptions.isPrivateTable}: API token and session hashes, idempotency records, and the users directory (names and e-mail addresses). */
export function isServerPrivateTable(_schema: string, table: string): boolean {
  return table === TOKENS_TABLE || table === SESSIONS_TABLE || table === IDEMPOTENCY_TABLE || table === USERS_TABLE;
}

/**
 * Copy the whole database (schemas, tables, views, macros) into a new DuckDB file, then
 * atomically rename it over `options.path`. Runs on `conn`, a connection of the instance that
 * holds the warehouse file (use a dedicated one: the copy runs in its own transaction, so it
 * reads one consistent state while writers keep committing on other connections).
 * Readers that have the previous snapshot open keep reading it; new opens see the new one.
 */
export async function writeSnapshot(conn: Adapter, options: WriteSnapshotOptions): Promise<SnapshotResult> {
  const started = performance.now();
  const d = conn.dialect;
  const isPrivate = options.isPrivateTable ?? isServerPrivateTable;
  mkdirSync(dirname(options.path), { recursive: true });
  const tmp = `${options.path}.${randomBytes(6).toString('hex')}.tmp`;
  const alias = '__wb_snapshot';
  const [current] = await conn.query<{ db: string }>('select current_database() as db');
  if (!current) throw new Error('current_database() returned no row');
  const source = d.quoteIdent(current.db);
  const target = d.quoteIdent(alias);
  // ATTACH takes no bound parameters; the path is ours (project dir + fixed name), never a request value.
  await conn.execute(`attach ${d.literal(tmp)} as ${target}`);
  let copied = 0;
  try {
    await runTransaction(conn, async (tx) => {
      await tx.execute(`copy from database ${source} to ${target} (schema)`);
      const tables = await tx.query<{ schema_name: string; table_name: string }>(
        `select schema_name, table_name from duckdb_tables()
          where database_name = ${d.param(1)} and not internal and not temporary
          order by schema_name, table_name`,
        [current.db],
      );
      for (const t of tables) {
        const into = `${target}.${d.quoteIdent(t.schema_name)}.${d.quoteIdent(t.table_name)}`;
        if (isPrivate(t.schema_name, t.table_name)) {
          await tx.execute(`drop table ${into}`);
          continue;
        }
        await tx.execute(
          `insert into ${into} select * from ${source}.${d.quoteIdent(t.schema_name)}.${d.quoteIdent(t.table_name)}`,
        );
        copied += 1;
      }
    });
    await conn.execute(`checkpoint ${target}`);
    await conn.execute(`detach ${target}`);
    renameSync(tmp, options.path);
  } catch (err) {
    await conn.execute(`detach ${target}`).catch(() => undefined);
    rmSync(tmp, { force: true });
    rmSync(`${tmp}.wal`, { force: true });
    throw err;
  }
  // A stale WAL next to the published file would be replayed by readers: there is none after the checkpoint.
  if (existsSync(`${options.path}.wal`)) rmSync(`${options.path}.wal`, { force: true });
  return { path: options.path, tables: copied, ms: performance.now() - started };
}

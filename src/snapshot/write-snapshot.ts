import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, statSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname } from 'node:path';
import type { Adapter } from '../adapters/adapter.js';
import { runTransaction } from '../adapters/run-transaction.js';
import { snapshotCopiesTable } from './snapshot-tables.js';
import { claimSnapshotTempPath, forgetSnapshotTempPath, releaseSnapshotTempPath } from './snapshot-temp-files.js';

/** Options of {@link writeSnapshot}. */
export interface WriteSnapshotOptions {
  /** Final path of the snapshot, e.g. `<project>/target/snapshot.duckdb`. */
  path: string;
  /** The project's inputs schema, where the managed tables live (see {@link snapshotCopiesTable}); unset = managed names are recognised in every schema. */
  inputsSchema?: string;
}

/** What one snapshot did. */
export interface SnapshotResult {
  path: string;
  /** Tables copied with their rows. */
  tables: number;
  /** Views in the snapshot (each one answers a query there). */
  views: number;
  /** Views of the warehouse left out because what they read is not copied (`<schema>.<view>`), e.g. the history views, which read the logs. */
  viewsLeftOut: string[];
  /** Size of the published file in bytes. */
  bytes: number;
  /** Wall time in milliseconds. */
  ms: number;
}

/**
 * Copy what BI tools read into a new DuckDB file, then atomically rename it over `options.path`:
 * every schema, view and macro, the rows of the tables {@link snapshotCopiesTable} keeps, and no
 * view that would fail there (one that reads a log or another table left out). Runs on `conn`,
 * a connection of the instance that holds the warehouse file (use a dedicated one: the copy runs
 * in its own transaction, so it reads one consistent state while writers keep committing on
 * other connections). Readers that have the previous snapshot open keep reading it; new opens
 * see the new one. The temp file is `<path>.<pid>.<random>.tmp` (see `removeStaleSnapshotTemps`).
 */
export async function writeSnapshot(conn: Adapter, options: WriteSnapshotOptions): Promise<SnapshotResult> {
  const started = performance.now();
  const d = conn.dialect;
  mkdirSync(dirname(options.path), { recursive: true });
  const tmp = claimSnapshotTempPath(options.path);
  // instance-wide name: unique, so two publishers of one instance never meet
  const alias = `__wb_snapshot_${randomBytes(6).toString('hex')}`;
  const [current] = await conn.query<{ db: string }>('select current_database() as db');
  if (!current) throw new Error('current_database() returned no row');
  const source = d.quoteIdent(current.db);
  const target = d.quoteIdent(alias);
  const qualified = (db: string, schema: string, name: string) => `${db}.${d.quoteIdent(schema)}.${d.quoteIdent(name)}`;
  let copied = 0;
  let views = 0;
  const viewsLeftOut: string[] = [];
  try {
    // ATTACH takes no bound parameters; the path is ours (project dir + fixed name), never a request value.
    await conn.execute(`attach ${d.literal(tmp)} as ${target}`);
    await runTransaction(conn, async (tx) => {
      await tx.execute(`copy from database ${source} to ${target} (schema)`);
      const tables = await tx.query<{ schema_name: string; table_name: string }>(
        `select schema_name, table_name from duckdb_tables()
          where database_name = ${d.param(1)} and not internal and not temporary
          order by schema_name, table_name`,
        [alias],
      );
      for (const t of tables) {
        const into = qualified(target, t.schema_name, t.table_name);
        if (!snapshotCopiesTable(options.inputsSchema, t.schema_name, t.table_name)) {
          await tx.execute(`drop table ${into}`);
          continue;
        }
        await tx.execute(`insert into ${into} select * from ${qualified(source, t.schema_name, t.table_name)}`);
        copied += 1;
      }
    });
    // A view binds in its own database: one that reads a table left out fails here as it would
    // for a BI tool, and is dropped. A view that reads a failing view fails too, so one pass does.
    const all = await conn.query<{ schema_name: string; view_name: string }>(
      `select schema_name, view_name from duckdb_views()
        where database_name = ${d.param(1)} and not internal and not temporary
        order by schema_name, view_name`,
      [alias],
    );
    const broken: { schema_name: string; view_name: string }[] = [];
    for (const v of all) {
      const ok = await conn.query(`select * from ${qualified(target, v.schema_name, v.view_name)} limit 0`).then(
        () => true,
        () => false,
      );
      if (ok) views += 1;
      else broken.push(v);
    }
    for (const v of broken) {
      await conn.execute(`drop view if exists ${qualified(target, v.schema_name, v.view_name)}`);
      viewsLeftOut.push(`${v.schema_name}.${v.view_name}`);
    }
    await conn.execute(`checkpoint ${target}`);
    await conn.execute(`detach ${target}`);
    renameSync(tmp, options.path);
    forgetSnapshotTempPath(tmp);
    syncDirectory(dirname(options.path));
  } catch (err) {
    await conn.execute(`detach ${target}`).catch(() => undefined);
    releaseSnapshotTempPath(tmp);
    throw err;
  }
  // A stale WAL next to the published file would be replayed by readers: there is none after the checkpoint.
  if (existsSync(`${options.path}.wal`)) rmSync(`${options.path}.wal`, { force: true });
  return { path: options.path, tables: copied, views, viewsLeftOut, bytes: statSync(options.path).size, ms: performance.now() - started };
}

/** Make a rename durable (a no-op where directories cannot be opened, e.g. Windows). */
function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // not supported on this platform
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

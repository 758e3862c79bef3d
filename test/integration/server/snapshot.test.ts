import { mkdtempSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBAdapter } from '../../../src/adapters/duckdb/duckdb-adapter.js';
import { duckdbDialect } from '../../../src/dialects/duckdb/duckdb-dialect.js';
import { createSnapshotPublisher, type SnapshotPublisher } from '../../../src/snapshot/snapshot-publisher.js';
import { openSnapshotConnection } from '../../../src/snapshot/snapshot-connection.js';
import type { Adapter } from '../../../src/adapters/adapter.js';
import { builtArgv } from '../../helpers/built.js';

const run = promisify(execFile);
const CHILD = join(import.meta.dirname, 'read-snapshot-child.ts');

/** Another OS process opens the snapshot read-only and polls until it sees `expected`. */
async function readInChild(path: string, sql: string, expected: string) {
  const { stdout } = await run(process.execPath, [...builtArgv(CHILD), path, sql, expected, '400'], { cwd: process.cwd() });
  return JSON.parse(stdout) as { seen: boolean; ms: number; tables: string[] };
}

describe('snapshot for BI tools', () => {
  let dir: string;
  let db: DuckDBAdapter;
  let conn: Adapter;
  let publisher: SnapshotPublisher;
  let snapshotPath: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'wb-snap-'));
    db = await DuckDBAdapter.open(join(dir, 'target', 'warehouse.duckdb'), duckdbDialect);
    await db.execute('create schema writeback; create schema planning');
    await db.execute('create table writeback.forecast (id varchar, amount decimal(18,2))');
    await db.execute('create table writeback._wb_tokens (token_hash varchar)');
    await db.execute("insert into writeback._wb_tokens values ('secret-hash')");
    await db.execute("create table writeback._wb_sessions (session_hash varchar); insert into writeback._wb_sessions values ('session-hash')");
    await db.execute("create table writeback._wb_users (user_name varchar, email varchar); insert into writeback._wb_users values ('idp#ana', 'ana@example.com')");
    await db.execute('create view planning.plan as select id, amount from writeback.forecast');
    snapshotPath = join(dir, 'target', 'snapshot.duckdb');
    const c = await openSnapshotConnection(db);
    if (!c) throw new Error('a DuckDB file must support snapshots');
    conn = c;
    publisher = createSnapshotPublisher(conn, { path: snapshotPath, delayMs: 100 });
    await publisher.flush();
  });

  afterAll(async () => {
    await publisher.close();
    await conn.close();
    await db.close();
  });

  it('publishes at start, without server-private tables and without temp files', async () => {
    expect(existsSync(snapshotPath)).toBe(true);
    const seen = await readInChild(snapshotPath, 'select count(*) from planning.plan', '0');
    expect(seen.seen).toBe(true);
    expect(seen.tables).toEqual(['forecast']);
    expect(readdirSync(join(dir, 'target')).filter((f) => f.includes('.tmp'))).toEqual([]);
  });

  it('shows a just-acknowledged write to a separate process while the writer holds the file', async () => {
    await db.execute("insert into writeback.forecast values ('A1', 12.50)");
    const acknowledged = Date.now();
    publisher.notify();
    const seen = await readInChild(snapshotPath, "select amount from planning.plan where id = 'A1'", '12.50');
    expect(seen.seen).toBe(true);
    // Figures for the report (not asserted: machines are noisy).
    console.log(`snapshot visible in another process ${Date.now() - acknowledged} ms after the write; last copy took ${publisher.status().lastDurationMs} ms`);
    expect(publisher.status().lastError).toBeUndefined();
  });

  it('turns a burst of writes into few snapshots and publishes the last one', async () => {
    let published = 0;
    const counting = createSnapshotPublisher(conn, { path: join(dir, 'target', 'burst.duckdb'), delayMs: 50, onPublished: () => published++ });
    for (let i = 0; i < 20; i++) {
      await db.execute('insert into writeback.forecast values ($1, $2)', [`B${i}`, '1.00']);
      counting.notify();
    }
    await counting.close();
    expect(published).toBeGreaterThanOrEqual(1);
    expect(published).toBeLessThan(20);
    const seen = await readInChild(join(dir, 'target', 'burst.duckdb'), "select count(*) from planning.plan where id like 'B%'", '20');
    expect(seen.seen).toBe(true);
  });

  it('is not offered for an in-memory database', async () => {
    const memory = await DuckDBAdapter.open(':memory:', duckdbDialect);
    expect(await openSnapshotConnection(memory)).toBeUndefined();
    await memory.close();
  });
});

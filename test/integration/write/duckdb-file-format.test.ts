import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DuckDBAdapter } from '../../../src/adapters/duckdb/duckdb-adapter.js';
import { getDialect } from '../../../src/dialects/registry.js';

const blockSize = async (adapter: DuckDBAdapter) =>
  Number((await adapter.query<{ block_size: number }>('select block_size from pragma_database_size()'))[0]!.block_size);

/** The storage format DuckDB reports for the open file: `v1.0.0+`, `v1.2.0+`, … (the oldest DuckDB that reads it). */
const storageVersion = async (adapter: DuckDBAdapter) =>
  (await adapter.query<{ v: string }>("select tags['storage_version'] as v from duckdb_databases() where database_name = current_database()"))[0]!.v;

/** Run `sql` on the file with plain DuckDB (no writeback options), as another tool would. */
async function withPlainDuckDB(path: string, sql: string): Promise<void> {
  const theirs = await DuckDBInstance.create(path);
  const conn = await theirs.connect();
  try {
    await conn.run(sql);
  } finally {
    conn.closeSync();
    theirs.closeSync();
  }
}

const EMPTY_TABLE_COLUMNS = Array.from({ length: 18 }, (_, i) => `c${i} varchar`).join(', ');

describe('DuckDB files: block size and storage format', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'wb-file-format-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('creates a new warehouse file with 64 KiB blocks in the v1.2 storage format, which the file keeps', async () => {
    const path = join(dir, 'new.duckdb');
    const adapter = await DuckDBAdapter.open(path, getDialect('duckdb'));
    await adapter.execute('create table t (seq bigint, head varchar)');
    await adapter.execute('insert into t values (1, $1)', ['x']);
    expect(await blockSize(adapter)).toBe(65_536);
    expect(await storageVersion(adapter)).toBe('v1.2.0+');
    await adapter.close();
    // a later session of another tool writes to it: the format is the file's, not the session's
    await withPlainDuckDB(path, 'create table u (a integer); insert into u values (1)');
    // reopened (also read-only), the file keeps its block size, its format and its rows
    const again = await DuckDBAdapter.open(path, getDialect('duckdb'), { readOnly: true });
    expect(await blockSize(again)).toBe(65_536);
    expect(await storageVersion(again)).toBe('v1.2.0+');
    expect(await again.query('select seq, head from t')).toEqual([{ seq: 1, head: 'x' }]);
    await again.close();
  });

  it('keeps empty tables small: 200 empty 18-column tables (a project\'s logs before any write) take under 3 MB, not ~11 MB', async () => {
    const path = join(dir, 'empty-tables.duckdb');
    const adapter = await DuckDBAdapter.open(path, getDialect('duckdb'));
    await adapter.execute(Array.from({ length: 200 }, (_, i) => `create table t${i} (${EMPTY_TABLE_COLUMNS});`).join('\n'));
    await adapter.close();
    // the v1.0 format gives each such table ~57 KB of metadata, ~11.5 MB for 200; the v1.2 format ~0.8 MB
    expect(statSync(path).size).toBeLessThan(3 * 2 ** 20);
  });

  it('opens a file another tool created (256 KiB blocks, v1.0 format) as it is, and writes to it without changing its format', async () => {
    const path = join(dir, 'theirs.duckdb');
    await withPlainDuckDB(path, 'create table src as select range as id from range(3)');

    const adapter = await DuckDBAdapter.open(path, getDialect('duckdb'));
    expect(await blockSize(adapter)).toBe(262_144);
    expect(await storageVersion(adapter)).toBe('v1.0.0+');
    await adapter.execute('insert into src values ($1)', [3n]);
    await adapter.execute(`create table more (${EMPTY_TABLE_COLUMNS})`);
    expect(await adapter.query('select count(*)::integer as n from src')).toEqual([{ n: 4 }]);
    await adapter.close();
    const again = await DuckDBAdapter.open(path, getDialect('duckdb'), { readOnly: true });
    expect(await storageVersion(again)).toBe('v1.0.0+');
    await again.close();
  });
});

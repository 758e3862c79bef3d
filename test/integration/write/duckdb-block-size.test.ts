import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DuckDBAdapter } from '../../../src/adapters/duckdb/duckdb-adapter.js';
import { getDialect } from '../../../src/dialects/registry.js';

const blockSize = async (adapter: DuckDBAdapter) =>
  Number((await adapter.query<{ block_size: number }>('select block_size from pragma_database_size()'))[0]!.block_size);

describe('DuckDB files and their block size', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'wb-block-size-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('creates a new warehouse file with 64 KiB blocks (small one-row tables do not take 256 KiB each)', async () => {
    const path = join(dir, 'new.duckdb');
    const adapter = await DuckDBAdapter.open(path, getDialect('duckdb'));
    await adapter.execute('create table t (seq bigint, head varchar)');
    await adapter.execute('insert into t values (1, $1)', ['x']);
    expect(await blockSize(adapter)).toBe(65_536);
    await adapter.close();
    // reopened (also read-only), the file keeps its block size and its row
    const again = await DuckDBAdapter.open(path, getDialect('duckdb'), { readOnly: true });
    expect(await blockSize(again)).toBe(65_536);
    expect(await again.query('select seq, head from t')).toEqual([{ seq: 1, head: 'x' }]);
    await again.close();
  });

  it('opens a file another tool created with DuckDB\'s default 256 KiB blocks as it is, and writes to it', async () => {
    const path = join(dir, 'theirs.duckdb');
    const theirs = await DuckDBInstance.create(path);
    const conn = await theirs.connect();
    await conn.run('create table src as select range as id from range(3)');
    conn.closeSync();
    theirs.closeSync();

    const adapter = await DuckDBAdapter.open(path, getDialect('duckdb'));
    expect(await blockSize(adapter)).toBe(262_144);
    await adapter.execute('insert into src values ($1)', [3n]);
    expect(await adapter.query('select count(*)::integer as n from src')).toEqual([{ n: 4 }]);
    await adapter.close();
  });
});

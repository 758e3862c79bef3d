import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Adapter, Row, SqlValue } from '../../../src/adapters/adapter.js';
import { DuckDBAdapter } from '../../../src/adapters/duckdb/duckdb-adapter.js';
import { runTransaction } from '../../../src/adapters/run-transaction.js';
import { getDialect } from '../../../src/dialects/registry.js';
import type { ManagedColumn } from '../../../src/managed/columns.js';
import { appendRows, createStageTableSql, stageRows, type StageValue } from '../../../src/write/stage-rows.js';

const sys = (name: string, type: 'string' | 'bigint' | 'timestamp' | 'boolean'): ManagedColumn => ({ name, type: { kind: 'system', type }, nullable: true, description: '' });
const user = (name: string, type: ManagedColumn['type']): ManagedColumn => ({ name, type, nullable: true, description: '' });

/** One column of every append kind, including texts DuckDB casts (decimal, date). */
const COLUMNS: ManagedColumn[] = [
  sys('_id', 'string'),
  sys('_seq', 'bigint'),
  sys('_at', 'timestamp'),
  sys('_flag', 'boolean'),
  user('amount', { kind: 'decimal', precision: 18, scale: 2 }),
  user('units', { kind: 'integer' }),
  user('ratio', { kind: 'number' }),
  user('day', { kind: 'date' }),
  user('due', { kind: 'timestamp' }),
  user('ok', { kind: 'boolean' }),
  user('note', { kind: 'text' }),
];

const ROWS: StageValue[][] = Array.from({ length: 5000 }, (_, i) => [
  `id-${i}`,
  i + 1,
  1_767_225_600_000 + (i % 7),
  i % 2 === 0,
  i % 11 === 0 ? null : `${i}.${String(i % 100).padStart(2, '0')}`,
  i % 13 === 0 ? null : String(i * 1_000_000_007),
  i / 8,
  i % 5 === 0 ? null : `2026-01-${String((i % 28) + 1).padStart(2, '0')}`,
  `2026-02-03T04:05:06.${String(i % 1000).padStart(3, '0')}Z`,
  i % 3 === 0 ? 'true' : 'false',
  i % 17 === 0 ? null : `note "${i}" ✓ 😀\n`,
]);

/** An adapter that only runs SQL (no bulk path, no raw connection): the portable multi-row INSERT path. */
function sqlOnly(inner: Adapter): Adapter {
  return {
    dialect: inner.dialect,
    query: <T extends Row = Row>(sql: string, params?: SqlValue[]) => inner.query<T>(sql, params),
    execute: (sql: string, params?: SqlValue[]) => inner.execute(sql, params),
    begin: () => inner.begin(),
    commit: () => inner.commit(),
    rollback: () => inner.rollback(),
    describeSchemas: (schemas: string[]) => inner.describeSchemas(schemas),
    close: () => inner.close(),
  };
}

/** A wrapper that exposes only DuckDB's connection (as some tests wrap the adapter). */
function rawOnly(inner: DuckDBAdapter): Adapter & { raw: DuckDBAdapter['raw'] } {
  return { ...sqlOnly(inner), raw: inner.raw };
}

let dir: string;
let db: DuckDBAdapter;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wb-bulk-'));
  db = await DuckDBAdapter.open(join(dir, 'x.duckdb'), getDialect('duckdb'));
  await db.execute('create schema s');
});
afterEach(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

const dump = (table: string) => db.query(`select * from ${table} order by _seq`);

describe('bulk append', () => {
  it('the Appender path (adapter or raw connection) writes exactly what the portable INSERT path writes', async () => {
    const d = db.dialect;
    for (const t of ['bulk', 'raw', 'sql']) await db.execute(`create table s.${t} (${COLUMNS.map((c) => `${d.quoteIdent(c.name)} ${d.columnType(c.type)}`).join(', ')})`);
    const source = { count: ROWS.length, value: (r: number, c: number) => ROWS[r]![c] ?? null };
    await runTransaction(db, (tx) => appendRows(tx, { schema: 's', table: 'bulk' }, COLUMNS, source));
    await runTransaction(db, () => appendRows(rawOnly(db), { schema: 's', table: 'raw' }, COLUMNS, source));
    await runTransaction(db, () => appendRows(sqlOnly(db), { schema: 's', table: 'sql' }, COLUMNS, source));
    const portable = await dump('s.sql');
    expect(portable).toHaveLength(ROWS.length);
    expect(await dump('s.bulk')).toEqual(portable);
    expect(await dump('s.raw')).toEqual(portable);
    expect(portable[17]).toEqual({
      _id: 'id-17',
      _seq: 18,
      _at: new Date(1_767_225_600_003),
      _flag: false,
      amount: '17.17',
      units: 17000000119,
      ratio: 17 / 8,
      day: '2026-01-18',
      due: new Date('2026-02-03T04:05:06.017Z'),
      ok: false,
      note: null,
    });
  });

  it('a column count that does not match the table fails instead of shifting values', async () => {
    await db.execute('create table s.two (a varchar, b varchar, c varchar)');
    const two = COLUMNS.slice(0, 2);
    await expect(runTransaction(db, (tx) => appendRows(tx, { schema: 's', table: 'two' }, two, { count: 1, value: () => 'x' }))).rejects.toThrow();
    expect(await db.query('select count(*)::integer as n from s.two')).toEqual([{ n: 0 }]);
  });

  it('stages rows into a temporary table, replacing what it held', async () => {
    const cols = COLUMNS.slice(0, 2);
    await db.execute(createStageTableSql(db, 'stage', cols));
    await stageRows(db, 'stage', cols, [['a', 1], ['b', 2]]);
    await stageRows(db, 'stage', cols, [['c', 3]]);
    expect(await db.query('select * from stage')).toEqual([{ _id: 'c', _seq: 3 }]);
  });
});

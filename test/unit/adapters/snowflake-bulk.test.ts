import { describe, expect, it } from 'vitest';
import { canAppendBulk } from '../../../src/adapters/adapter.js';
import { runTransaction } from '../../../src/adapters/run-transaction.js';
import { SnowflakeAdapter } from '../../../src/adapters/snowflake/snowflake-adapter.js';
import { MAX_ARRAY_BINDS } from '../../../src/adapters/snowflake/snowflake-bulk.js';
import type { SnowflakeBind, SnowflakeSession } from '../../../src/adapters/snowflake/snowflake-session.js';
import { snowflakeDialect } from '../../../src/dialects/snowflake/snowflake-dialect.js';
import type { ManagedColumn } from '../../../src/managed/columns.js';
import { appendRows, type StageValue } from '../../../src/write/stage-rows.js';

// Only the SDK boundary (SnowflakeSession) is mocked: what the adapter hands snowflake-sdk is
// checked against the SDK's array binding (binds = one array per row, all in one request).

const where = { account: 'myorg-acct', user: 'WRITEBACK_SVC', database: 'ANALYTICS' };

function recordingSession() {
  const calls: { sql: string; binds: SnowflakeBind[] | SnowflakeBind[][] }[] = [];
  const session: SnowflakeSession = {
    execute: async (sql, binds) => {
      calls.push({ sql, binds });
      const rowsChanged = sql.startsWith('insert') ? binds.length : undefined;
      return { columns: [], rows: [], updated: rowsChanged };
    },
    destroy: async () => undefined,
  };
  return { calls, connect: async () => session };
}

const col = (name: string, type: ManagedColumn['type']): ManagedColumn => ({ name, type, nullable: true, description: '' });
const columns: ManagedColumn[] = [
  col('account_id', { kind: 'string' }),
  col('amount', { kind: 'decimal', precision: 38, scale: 10 }),
  col('units', { kind: 'integer' }),
  col('ratio', { kind: 'number' }),
  col('approved', { kind: 'boolean' }),
  col('month', { kind: 'date' }),
  col('_at', { kind: 'system', type: 'timestamp' }),
  col('_seq', { kind: 'system', type: 'bigint' }),
];

/** Row i of the 50,000: exact decimals beyond a double's precision, NULLs, both booleans, a quote and a comma in text. */
function row(i: number): StageValue[] {
  return [
    i % 1000 === 0 ? 'A,"quoted"' : `A${i}`,
    i % 7 === 0 ? null : `1234567890123456789012345678.${String(i).padStart(10, '0')}`,
    i % 11 === 0 ? null : String(9_007_199_254_740_993n + BigInt(i)),
    i % 2 === 0 ? '0.1' : '1.5e-7',
    i % 3 === 0 ? null : i % 2 === 0 ? 'true' : 'false',
    '2026-01-31',
    Date.UTC(2026, 2, 31, 23, 59, 58, 123) + i,
    i + 1,
  ];
}

describe('Snowflake bulk append (mocked SDK)', () => {
  it('mocked: 50,000 rows go as a few array-bound INSERTs inside the transaction, each under the SDK stage threshold, values exact', async () => {
    const m = recordingSession();
    const a = await SnowflakeAdapter.open(m.connect, snowflakeDialect, where);
    expect(canAppendBulk(a)).toBe(true);
    const from = m.calls.length;
    const rows = Array.from({ length: 50_000 }, (_, i) => row(i));
    await runTransaction(a, (tx) => appendRows(tx, { schema: 'writeback', table: 'forecast__log' }, columns, { count: rows.length, value: (r, c) => rows[r]![c]! }));

    const sent = m.calls.slice(from);
    expect(sent[0]!.sql).toBe('begin');
    expect(sent.at(-1)!.sql).toBe('commit');
    const inserts = sent.slice(1, -1);
    expect(inserts.length).toBe(Math.ceil((50_000 * columns.length) / MAX_ARRAY_BINDS));
    expect(inserts.length).toBeLessThan(10);
    for (const ins of inserts) {
      expect(ins.sql).toBe(
        'insert into "WRITEBACK"."FORECAST__LOG" ("ACCOUNT_ID", "AMOUNT", "UNITS", "RATIO", "APPROVED", "MONTH", "_AT", "_SEQ") values (?, ?, ?, ?, ?, ?, ?, ?)',
      );
      const binds = ins.binds as SnowflakeBind[][];
      expect(binds.every((r) => Array.isArray(r) && r.length === columns.length)).toBe(true);
      // the SDK stages (DDL, which would commit the transaction) only above its threshold
      expect(binds.length * columns.length).toBeLessThanOrEqual(MAX_ARRAY_BINDS);
    }
    const all = inserts.flatMap((i) => i.binds as SnowflakeBind[][]);
    expect(all).toHaveLength(50_000);
    expect(all[0]).toEqual(['A,"quoted"', null, null, '0.1', null, '2026-01-31', '2026-03-31 23:59:58.123', '1']);
    expect(all[12_345]).toEqual(['A12345', '1234567890123456789012345678.0000012345', '9007199254753338', '1.5e-7', null, '2026-01-31', '2026-04-01 00:00:10.468', '12346']);
    expect(all[49_999]![4]).toBe('false');
    expect(all[49_996]![4]).toBe('true');
  });

  it('mocked: every bound value is text or NULL, so the SDK types each column from its first row as TEXT', async () => {
    const m = recordingSession();
    const a = await SnowflakeAdapter.open(m.connect, snowflakeDialect, where);
    await a.appendBulk({ table: '_wb_keys_forecast' }, [{ name: 'n', kind: 'double', sqlType: 'FLOAT' }, { name: 'b', kind: 'boolean', sqlType: 'BOOLEAN' }], {
      count: 3,
      value: (r, c) => [[1, true], [1.5, null], [undefined, 'false']][r]![c],
    });
    const ins = m.calls.at(-1)!;
    expect(ins.sql).toBe('insert into "_WB_KEYS_FORECAST" ("N", "B") values (?, ?)');
    expect(ins.binds).toEqual([
      ['1', 'true'],
      ['1.5', null],
      [null, 'false'],
    ]);
  });

  it('mocked: a chunk the warehouse did not insert whole is an error, not a silent loss', async () => {
    const session: SnowflakeSession = { execute: async (sql, binds) => ({ columns: [], rows: [], updated: sql.startsWith('insert') ? binds.length - 1 : undefined }), destroy: async () => undefined };
    const a = await SnowflakeAdapter.open(async () => session, snowflakeDialect, where);
    await expect(a.appendBulk({ table: 't' }, [{ name: 'x', kind: 'varchar', sqlType: 'VARCHAR' }], { count: 2, value: () => 'v' })).rejects.toThrow('Snowflake inserted 1 of 2 rows');
  });
});

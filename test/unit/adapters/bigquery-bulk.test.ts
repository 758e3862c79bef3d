import { BigQuery } from '@google-cloud/bigquery';
import { describe, expect, it } from 'vitest';
import type { BulkColumn } from '../../../src/adapters/adapter.js';
import { BigQueryAdapter } from '../../../src/adapters/bigquery/bigquery-adapter.js';
import { runTransaction } from '../../../src/adapters/run-transaction.js';
import { bigqueryDialect } from '../../../src/dialects/bigquery/bigquery-dialect.js';
import { createWriteback } from '../../../src/library/writeback.js';
import { logTableName } from '../../../src/managed/names.js';
import { logColumns } from '../../../src/managed/tables.js';
import { testProject } from '../../integration/write/fixture.js';
import { FakeBigQuery } from './bigquery-fake.js';

// The BigQuery bulk path (insert … select … from unnest(@rows)) against the fake SDK boundary.

const COLUMNS: BulkColumn[] = [
  { name: 'id', kind: 'bigint', sqlType: 'INT64' },
  { name: 'amount', kind: 'varchar', sqlType: 'NUMERIC(18, 2)' },
  { name: 'ratio', kind: 'double', sqlType: 'FLOAT64' },
  { name: '_at', kind: 'timestamp-ms', sqlType: 'TIMESTAMP' },
  { name: 'day', kind: 'varchar', sqlType: 'DATE' },
  { name: 'type', kind: 'varchar', sqlType: 'STRING' },
  { name: 'ok', kind: 'boolean', sqlType: 'BOOL' },
];

/** Row r: every 10th row all NULL but its id; ratio a whole number on even rows. */
function value(r: number, c: number): string | number | boolean | null {
  if (c > 0 && r % 10 === 9) return null;
  switch (c) {
    case 0: return r;
    case 1: return `${r}.25`;
    case 2: return r % 2 === 0 ? 2 : 2.5;
    case 3: return Date.UTC(2026, 0, 1) + r;
    case 4: return '2026-03-31';
    case 5: return `note ${r} with some text to make the row longer`;
    default: return r % 3 === 0;
  }
}

describe('BigQuery bulk append (mocked SDK)', () => {
  it('mocked: 50,000 rows are a handful of jobs in the transaction\'s session, each one typed ARRAY<STRUCT> parameter under the request limit, NULLs typed', async () => {
    const fake = new FakeBigQuery();
    const a = new BigQueryAdapter(bigqueryDialect, fake, 'proj');
    await runTransaction(a, (tx) => (tx as BigQueryAdapter).appendBulk({ schema: 'writeback', table: 'notes__log' }, COLUMNS, { count: 50_000, value }));
    const inserts = fake.jobs.filter((j) => j.sql.startsWith('insert'));
    expect(inserts.length).toBeGreaterThanOrEqual(2);
    expect(inserts.length).toBeLessThanOrEqual(10);
    expect(fake.jobs.map((j) => j.sql)).toEqual(['begin transaction', ...inserts.map((j) => j.sql), 'commit transaction']);
    expect(new Set(fake.jobs.map((j) => j.session))).toEqual(new Set(['session-1']));
    expect(inserts[0]!.sql).toBe(
      'insert into `writeback`.`notes__log` (`id`, `amount`, `ratio`, `_at`, `day`, `type`, `ok`) select r.c0, r.c1, r.c2, r.c3, r.c4, r.c5, r.c6 from unnest(@rows) as r',
    );
    for (const j of inserts) {
      expect(j.types).toEqual({ rows: [{ c0: 'INT64', c1: 'NUMERIC', c2: 'FLOAT64', c3: 'TIMESTAMP', c4: 'DATE', c5: 'STRING', c6: 'BOOL' }] });
      // the parameter as the real client encodes it for the request must leave room under BigQuery's 10 MB
      const encoded = BigQuery.valueToQueryParameter_(j.params.rows, j.types.rows as [Record<string, string>]);
      expect(Buffer.byteLength(JSON.stringify(encoded))).toBeLessThan(9_000_000);
    }
    const rows = inserts.flatMap((j) => j.params.rows as Record<string, unknown>[]);
    expect(rows).toHaveLength(50_000);
    expect(rows[0]).toEqual({ c0: 0, c1: '0.25', c2: 2, c3: '2026-01-01T00:00:00.000Z', c4: '2026-03-31', c5: 'note 0 with some text to make the row longer', c6: true });
    expect(rows[9]).toEqual({ c0: 9, c1: null, c2: null, c3: null, c4: null, c5: null, c6: null });
    expect(rows[49_999]!.c0).toBe(49_999);
  });

  it('mocked: a bulk write through the write path appends the log with the unnest statement in the write transaction', async () => {
    const fake = new FakeBigQuery(() =>
      Object.values(testProject('/tmp').inputs).map((i) => ({
        schema: 'writeback',
        name: logTableName(i.name),
        kind: 'table' as const,
        columns: logColumns(i).map((c) => ({ name: c.name, dataType: bigqueryDialect.columnType(c.type) })),
      })),
    );
    const wb = await createWriteback(testProject('/tmp'), new BigQueryAdapter(bigqueryDialect, fake, 'proj'), { targetName: 'dev' });
    const result = await wb.inputs.write('notes', Array.from({ length: 5_000 }, (_, i) => ({ id: i, body: i % 2 ? null : `b${i}` })), { user: 'u' });
    expect(result.ok).toBe(true);
    await wb.close();
    const begin = fake.jobs.findIndex((j) => j.sql === 'begin transaction');
    const commit = fake.jobs.findIndex((j) => j.sql === 'commit transaction');
    const logInserts = fake.jobs.map((j, i) => ({ j, i })).filter(({ j }) => /^insert into `writeback`\.`notes__log` .* from unnest\(@rows\) as r$/.test(j.sql));
    expect(logInserts).toHaveLength(1);
    expect(logInserts[0]!.i).toBeGreaterThan(begin);
    expect(logInserts[0]!.i).toBeLessThan(commit);
    expect((logInserts[0]!.j.params.rows as unknown[]).length).toBe(5_000);
    // no statement binds more than BigQuery's 10,000 parameters
    for (const j of fake.jobs) expect(Object.keys(j.params).length).toBeLessThanOrEqual(10_000);
  });
});

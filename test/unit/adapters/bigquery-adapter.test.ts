import { describe, expect, it } from 'vitest';
import { BigQueryAdapter, bigqueryValue } from '../../../src/adapters/bigquery/bigquery-adapter.js';
import { bigqueryParams } from '../../../src/adapters/bigquery/bigquery-params.js';
import { typed } from '../../../src/dialects/sql-value.js';
import type { BigQueryClient, BigQueryResult } from '../../../src/adapters/bigquery/bigquery-client.js';
import { bigqueryOptions } from '../../../src/adapters/bigquery/open-bigquery.js';
import { runTransaction } from '../../../src/adapters/run-transaction.js';
import { UsageError } from '../../../src/adapters/usage-error.js';
import { WarehouseError } from '../../../src/adapters/warehouse-error.js';
import { bigqueryDialect } from '../../../src/dialects/bigquery/bigquery-dialect.js';

// Only the SDK boundary (BigQueryClient) is mocked: no test here talks to BigQuery.

// stand-ins named like the client's wrapper classes
class Big {
  constructor(private readonly text: string) {}
  toFixed(): string {
    return this.text;
  }
}
class BigQueryTimestamp {
  constructor(readonly value: string) {}
}
class BigQueryDate {
  constructor(readonly value: string) {}
}
class BigQueryInt {
  constructor(readonly value: string) {}
}

type Call = { sql: string; params: Record<string, unknown>; types: Record<string, unknown>; session: { id?: string; create: boolean } };

function mockClient(answer: (sql: string) => Partial<BigQueryResult> | Error = () => ({}), datasets: string[] = ['writeback']) {
  const calls: Call[] = [];
  let sessions = 0;
  const client: BigQueryClient = {
    async query(sql, params, types, session) {
      calls.push({ sql, params, types, session });
      const a = answer(sql);
      if (a instanceof Error) throw a;
      return { rows: a.rows ?? [], affected: a.affected, sessionId: session.create ? `s${++sessions}` : undefined };
    },
    async datasetExists(name) {
      return datasets.includes(name);
    },
  };
  return { calls, client };
}

describe('BigQuery adapter (mocked SDK)', () => {
  it('mocked: a plain parameter is typed from its JS value (an untyped NULL is STRING: only right inside a cast or for a STRING column)', () => {
    expect(bigqueryParams(['a', null, 5n, 7, 0.5, true, new Date('2026-01-01T00:00:00.000Z')], bigqueryDialect)).toEqual({
      values: { p1: 'a', p2: null, p3: '5', p4: 7, p5: 0.5, p6: true, p7: '2026-01-01T00:00:00.000Z' },
      types: { p1: 'STRING', p2: 'STRING', p3: 'INT64', p4: 'INT64', p5: 'FLOAT64', p6: 'BOOL', p7: 'TIMESTAMP' },
    });
  });

  it('mocked: a typed parameter is typed from its column: NULLs on INT64/TIMESTAMP/NUMERIC/FLOAT64 columns, whole numbers on FLOAT64, decimals on NUMERIC/BIGNUMERIC', async () => {
    const m = mockClient(() => ({ affected: 1 }));
    const a = new BigQueryAdapter(bigqueryDialect, m.client, 'proj');
    await a.execute('insert into `d`.`t` (a, b, c, d, e, f, g, h) values (@p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8)', [
      typed({ kind: 'integer' }, null),
      typed({ kind: 'timestamp' }, null),
      typed({ kind: 'decimal', precision: 18, scale: 2 }, null),
      typed({ kind: 'number' }, null),
      typed({ kind: 'number' }, 3),
      typed({ kind: 'decimal', precision: 18, scale: 2 }, '12.50'),
      typed({ kind: 'decimal', precision: 40, scale: 2 }, '123456789012345678901234567890123456.78'),
      typed({ kind: 'system', type: 'bigint' }, 9007199254740993n),
    ]);
    expect(m.calls[0]!.types).toEqual({ p1: 'INT64', p2: 'TIMESTAMP', p3: 'NUMERIC', p4: 'FLOAT64', p5: 'FLOAT64', p6: 'NUMERIC', p7: 'BIGNUMERIC', p8: 'INT64' });
    expect(m.calls[0]!.params).toEqual({ p1: null, p2: null, p3: null, p4: null, p5: 3, p6: '12.50', p7: '123456789012345678901234567890123456.78', p8: '9007199254740993' });
  });

  it('mocked: values come back as the wire rules want (exact NUMERIC text, safe INT64 as number, dates as text, instants as Date)', () => {
    expect(bigqueryValue(new Big('1234567890123456.78'))).toBe('1234567890123456.78');
    expect(bigqueryValue(new BigQueryInt('42'))).toBe(42);
    expect(bigqueryValue(new BigQueryInt('9007199254740993'))).toBe('9007199254740993');
    expect(bigqueryValue(new BigQueryDate('2026-01-31'))).toBe('2026-01-31');
    expect(bigqueryValue(new BigQueryTimestamp('2026-03-31T23:59:58.123Z'))).toEqual(new Date('2026-03-31T23:59:58.123Z'));
    expect(bigqueryValue('x')).toBe('x');
    expect(bigqueryValue(null)).toBeNull();
  });

  it('mocked: reads outside a transaction are plain jobs; the transaction opens the session with its BEGIN and runs in it; a fork has its own', async () => {
    const m = mockClient((sql) => (sql.startsWith('update') ? { affected: 1 } : {}));
    const a = new BigQueryAdapter(bigqueryDialect, m.client, 'proj');
    await a.query('select 1');
    expect(await runTransaction(a, async (tx) => tx.execute('update t set x = 1 where true'))).toBe(1);
    await a.query('select 2');
    expect(m.calls.map((c) => [c.sql, c.session])).toEqual([
      ['select 1', { create: false }],
      ['begin transaction', { create: true }],
      ['update t set x = 1 where true', { id: 's1', create: false }],
      ['commit transaction', { id: 's1', create: false }],
      ['select 2', { create: false }],
    ]);
    const b = await a.fork();
    await b.execute('create temporary table `k` (x INT64)');
    expect(m.calls.at(-1)!.session).toEqual({ create: true });
    expect(b.sessionNumber).toBe(1);
  });

  it('mocked: a concurrent-update abort is a conflict (rolled back, retried when asked); a DML quota is retryable; both keep BigQuery\'s message', async () => {
    const apiError = (message: string, reason: string) => Object.assign(new Error(message), { code: 400, errors: [{ reason, message }] });
    const conflict = apiError('Transaction is aborted due to concurrent update against table proj.writeback._wb_chain_heads', 'invalidQuery');
    let merges = 0;
    const m = mockClient((sql) => (sql.startsWith('merge') && ++merges === 1 ? conflict : {}));
    const a = new BigQueryAdapter(bigqueryDialect, m.client, 'proj');
    const failed = await runTransaction(a, (tx) => tx.execute('merge …')).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(WarehouseError);
    expect(failed).toMatchObject({ kind: 'conflict', code: 'invalidQuery', message: conflict.message, cause: conflict });
    expect(m.calls.map((c) => c.sql)).toEqual(['begin transaction', 'merge …', 'rollback transaction']);
    m.calls.length = 0;
    merges = 0;
    await runTransaction(a, (tx) => tx.execute('merge …'), { retries: 1 });
    expect(m.calls.map((c) => c.sql)).toEqual(['begin transaction', 'merge …', 'rollback transaction', 'begin transaction', 'merge …', 'commit transaction']);

    const quota = apiError('Too many DML statements outstanding against table proj:writeback.forecast, limit is 20', 'quotaExceeded');
    const q = new BigQueryAdapter(bigqueryDialect, mockClient((sql) => (sql.startsWith('update') ? quota : {})).client, 'proj');
    await expect(q.execute('update …')).rejects.toMatchObject({ name: 'WarehouseError', kind: 'retryable' });
    // an unrelated invalid query passes through as the SDK threw it
    const syntax = apiError('Syntax error: Unexpected identifier at [1:1]', 'invalidQuery');
    const x = new BigQueryAdapter(bigqueryDialect, mockClient(() => syntax).client, 'proj');
    await expect(x.query('selec 1')).rejects.toBe(syntax);
  });

  it('mocked: a connection reset during COMMIT TRANSACTION is connection-lost with an unknown outcome, never retried', async () => {
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    const m = mockClient((sql) => (sql === 'commit transaction' ? reset : { affected: 1 }));
    const a = new BigQueryAdapter(bigqueryDialect, m.client, 'proj');
    const failed = await runTransaction(a, (tx) => tx.execute('update t set x = 1 where true'), { retries: 5 }).catch((e: unknown) => e);
    expect(failed).toMatchObject({ name: 'WarehouseError', kind: 'connection-lost', commitOutcomeUnknown: true });
    expect((failed as Error).message).toMatch(/lost during COMMIT, so the transaction may or may not have committed/);
    expect(m.calls.map((c) => c.sql)).toEqual(['begin transaction', 'update t set x = 1 where true', 'commit transaction']);
  });

  it('mocked: describeSchemas reads each existing dataset\'s INFORMATION_SCHEMA and skips missing ones', async () => {
    const m = mockClient(() => ({
      rows: [
        { table_name: 'forecast', table_type: 'BASE TABLE', column_name: 'amount', data_type: 'NUMERIC(18, 2)' },
        { table_name: 'forecast__history', table_type: 'VIEW', column_name: '_seq', data_type: 'INT64' },
      ],
    }));
    const a = new BigQueryAdapter(bigqueryDialect, m.client, 'proj');
    expect(await a.describeSchemas(['writeback', 'missing'])).toEqual([
      { schema: 'writeback', name: 'forecast', kind: 'table', columns: [{ name: 'amount', dataType: 'NUMERIC(18, 2)' }] },
      { schema: 'writeback', name: 'forecast__history', kind: 'view', columns: [{ name: '_seq', dataType: 'INT64' }] },
    ]);
    expect(m.calls).toHaveLength(1);
    expect(m.calls[0]!.sql).toContain('`writeback`.INFORMATION_SCHEMA.COLUMNS');
    expect(await a.listSchemas(['writeback', 'missing'])).toEqual(new Set(['writeback']));
  });

  it('mocked: missing credentials and permissions become UsageErrors with a hint', async () => {
    const creds = new Error('Could not load the default credentials. Browse to https://cloud.google.com/docs/authentication/getting-started for more information.');
    const a = new BigQueryAdapter(bigqueryDialect, mockClient(() => creds).client, 'proj');
    await expect(a.query('select 1')).rejects.toThrow(UsageError);
    await expect(a.query('select 1')).rejects.toThrow(/GOOGLE_APPLICATION_CREDENTIALS/);
    const denied = Object.assign(new Error('Access Denied: Dataset proj:crm: Permission bigquery.tables.getData denied'), { code: 403 });
    const b = new BigQueryAdapter(bigqueryDialect, mockClient(() => denied).client, 'proj');
    await expect(b.query('select 1')).rejects.toThrow(/roles\/bigquery.dataViewer on the source datasets/);
  });
});

describe('BigQuery target settings', () => {
  it('service-account key file relative to the project, or application-default credentials', () => {
    expect(bigqueryOptions('prod', { project: 'acme-analytics', key_file: 'keys/sa.json', location: 'EU' }, '/proj')).toEqual({
      projectId: 'acme-analytics',
      keyFilename: '/proj/keys/sa.json',
      location: 'EU',
    });
    expect(bigqueryOptions('prod', { project: 'acme-analytics' }, '/proj')).toEqual({ projectId: 'acme-analytics' });
    expect(() => bigqueryOptions('prod', {}, '/proj')).toThrow(/needs 'project'/);
  });
});

import { describe, expect, it } from 'vitest';
import { runTransaction } from '../../../src/adapters/run-transaction.js';
import { UsageError } from '../../../src/adapters/usage-error.js';
import { SnowflakeAdapter, foldName, unfoldName } from '../../../src/adapters/snowflake/snowflake-adapter.js';
import { snowflakeOptions } from '../../../src/adapters/snowflake/open-snowflake.js';
import type { SnowflakeResult, SnowflakeSession } from '../../../src/adapters/snowflake/snowflake-session.js';
import { snowflakeDialect } from '../../../src/dialects/snowflake/snowflake-dialect.js';

// Only the SDK boundary (SnowflakeSession) is mocked: no test here talks to Snowflake.

type Call = { sql: string; binds: unknown[] };

function mockSession(answer: (sql: string) => SnowflakeResult | Error = () => ({ columns: [], rows: [], updated: undefined })) {
  const calls: Call[] = [];
  const session: SnowflakeSession = {
    execute: async (sql, binds) => {
      calls.push({ sql, binds });
      const a = answer(sql);
      if (a instanceof Error) throw a;
      return a;
    },
    destroy: async () => undefined,
  };
  return { calls, connect: async () => session };
}

const where = { account: 'myorg-acct', user: 'WRITEBACK_SVC', database: 'ANALYTICS' };

describe('Snowflake adapter (mocked SDK)', () => {
  it('mocked: sets the session to UTC with exact output formats, binds Dates as UTC text and bigints as text', async () => {
    const m = mockSession();
    const a = await SnowflakeAdapter.open(m.connect, snowflakeDialect, where);
    expect(m.calls[0]!.sql).toBe("alter session set timezone = 'UTC'");
    expect(m.calls[1]!.sql).toMatch(/timestamp_ntz_output_format/);
    await a.execute('insert into x values (:1, :2, :3, :4)', [new Date('2026-03-31T23:59:58.123Z'), 2n ** 60n, null, true]);
    expect(m.calls.at(-1)!.binds).toEqual(['2026-03-31 23:59:58.123', '1152921504606846976', null, true]);
  });

  it('mocked: maps upper-case result columns back to project names and converts values exactly', async () => {
    const m = mockSession((sql) =>
      sql.startsWith('select')
        ? {
            columns: [
              { name: 'ACCOUNT_ID', type: 'text', scale: 0 },
              { name: 'AMOUNT', type: 'fixed', scale: 2 },
              { name: '_SEQ', type: 'fixed', scale: 0 },
              { name: 'BIG', type: 'fixed', scale: 0 },
              { name: 'RATIO', type: 'real', scale: 0 },
              { name: 'START', type: 'date', scale: 0 },
              { name: '_AT', type: 'timestamp_ntz', scale: 0 },
              { name: 'Mixed', type: 'boolean', scale: 0 },
            ],
            rows: [{ ACCOUNT_ID: 'A1', AMOUNT: '1234567890123456.78', _SEQ: '7', BIG: '9007199254740993', RATIO: '0.25', START: '2026-01-31', _AT: '2026-03-31T23:59:58.123Z', Mixed: true }],
            updated: undefined,
          }
        : { columns: [], rows: [], updated: 3 },
    );
    const a = await SnowflakeAdapter.open(m.connect, snowflakeDialect, where);
    expect(await a.query('select …')).toEqual([
      { account_id: 'A1', amount: '1234567890123456.78', _seq: 7, big: '9007199254740993', ratio: 0.25, start: '2026-01-31', _at: new Date('2026-03-31T23:59:58.123Z'), Mixed: true },
    ]);
    expect(await a.execute('update …')).toBe(3);
  });

  it('mocked: a transaction is BEGIN … COMMIT on one session, and an explicit ROLLBACK on error', async () => {
    const m = mockSession((sql) => (sql === 'boom' ? new Error('SQL compilation error') : { columns: [], rows: [], updated: 1 }));
    const a = await SnowflakeAdapter.open(m.connect, snowflakeDialect, where);
    const start = m.calls.length;
    await runTransaction(a, async (tx) => tx.execute('update a set x = 1 where true'));
    await expect(runTransaction(a, async (tx) => tx.execute('boom'), { retries: 3 })).rejects.toThrow('SQL compilation error');
    expect(m.calls.slice(start).map((c) => c.sql)).toEqual(['begin', 'update a set x = 1 where true', 'commit', 'begin', 'boom', 'rollback']);
  });

  it('mocked: describeSchemas asks for the stored (upper-case) names and returns project names with NUMBER(p, s)', async () => {
    const m = mockSession((sql) =>
      sql.includes('information_schema.columns')
        ? {
            columns: ['TABLE_SCHEMA', 'TABLE_NAME', 'TABLE_TYPE', 'COLUMN_NAME', 'DATA_TYPE', 'NUMERIC_PRECISION', 'NUMERIC_SCALE'].map((name) => ({ name, type: 'text', scale: 0 })),
            rows: [
              { TABLE_SCHEMA: 'WRITEBACK', TABLE_NAME: 'FORECAST', TABLE_TYPE: 'BASE TABLE', COLUMN_NAME: 'AMOUNT', DATA_TYPE: 'NUMBER', NUMERIC_PRECISION: '18', NUMERIC_SCALE: '2' },
              { TABLE_SCHEMA: 'WRITEBACK', TABLE_NAME: 'FORECAST', TABLE_TYPE: 'BASE TABLE', COLUMN_NAME: '_AT', DATA_TYPE: 'TIMESTAMP_NTZ', NUMERIC_PRECISION: null, NUMERIC_SCALE: null },
            ],
            updated: undefined,
          }
        : { columns: [], rows: [], updated: undefined },
    );
    const a = await SnowflakeAdapter.open(m.connect, snowflakeDialect, where);
    const tables = await a.describeSchemas(['writeback']);
    expect(m.calls.at(-1)!.binds).toEqual(['WRITEBACK']);
    expect(tables).toEqual([
      { schema: 'writeback', name: 'forecast', kind: 'table', columns: [{ name: 'amount', dataType: 'NUMBER(18, 2)' }, { name: '_at', dataType: 'TIMESTAMP_NTZ' }] },
    ]);
  });

  it('mocked: SDK failures a user can fix become UsageErrors with a hint', async () => {
    const auth = Object.assign(new Error('Incorrect username or password was specified.'), { code: '390100' });
    await expect(SnowflakeAdapter.open(async () => Promise.reject(auth), snowflakeDialect, where)).rejects.toThrow(UsageError);
    const net = Object.assign(new Error('Network error. Could not reach Snowflake.'), { code: '401001' });
    await expect(SnowflakeAdapter.open(async () => Promise.reject(net), snowflakeDialect, where)).rejects.toThrow(/cannot reach Snowflake account 'myorg-acct'/);
    const m = mockSession((sql) => (sql.startsWith('create') ? new Error("SQL access control error: Insufficient privileges to operate on schema 'CRM'") : { columns: [], rows: [], updated: 0 }));
    const a = await SnowflakeAdapter.open(m.connect, snowflakeDialect, where);
    await expect(a.execute('create table …')).rejects.toThrow(/lacks a grant.*OWNERSHIP of the write-back schemas/);
  });

  it('mocked: the lock-waiter limit (000625) is retryable and retried in a new transaction; a lost session during COMMIT is never retried', async () => {
    const lock = Object.assign(new Error("Statement '01b4' has locked table 'FORECAST' … the number of waiters for this lock exceeds the 20 statements limit."), { code: '000625', sqlState: '57014' });
    let updates = 0;
    const m = mockSession((sql) => (sql.startsWith('update') && ++updates === 1 ? lock : { columns: [], rows: [], updated: 1 }));
    const a = await SnowflakeAdapter.open(m.connect, snowflakeDialect, where);
    await expect(a.execute('update …')).rejects.toMatchObject({ name: 'WarehouseError', kind: 'retryable', code: '000625', message: lock.message });
    updates = 0;
    const start = m.calls.length;
    expect(await runTransaction(a, (tx) => tx.execute('update …'), { retries: 2 })).toBe(1);
    expect(m.calls.slice(start).map((c) => c.sql)).toEqual(['begin', 'update …', 'rollback', 'begin', 'update …', 'commit']);

    const gone = Object.assign(new Error('Unable to perform operation using terminated connection.'), { code: 407002 });
    const m2 = mockSession((sql) => (sql === 'commit' ? gone : { columns: [], rows: [], updated: 1 }));
    const b = await SnowflakeAdapter.open(m2.connect, snowflakeDialect, where);
    const from = m2.calls.length;
    await expect(runTransaction(b, (tx) => tx.execute('update …'), { retries: 5 })).rejects.toMatchObject({ kind: 'connection-lost', commitOutcomeUnknown: true });
    expect(m2.calls.slice(from).map((c) => c.sql)).toEqual(['begin', 'update …', 'commit']);
  });

  it('folds and unfolds names like the dialect', () => {
    expect(foldName('revenue_forecast')).toBe('REVENUE_FORECAST');
    expect(foldName('Accounts')).toBe('Accounts');
    expect(unfoldName('REVENUE_FORECAST')).toBe('revenue_forecast');
    expect(unfoldName('Accounts')).toBe('Accounts');
  });
});

describe('Snowflake target settings', () => {
  it('key-pair auth resolves the key file against the project; password auth; missing credentials name both options', () => {
    const base = { account: 'org-acct', user: 'SVC', database: 'ANALYTICS', warehouse: 'WH' };
    expect(snowflakeOptions('prod', { ...base, private_key_path: 'keys/rsa_key.p8' }, '/proj')).toMatchObject({ privateKeyPath: '/proj/keys/rsa_key.p8', username: 'SVC' });
    expect(snowflakeOptions('prod', { ...base, password: 'pw' }, '/proj')).toMatchObject({ password: 'pw' });
    expect(() => snowflakeOptions('prod', base, '/proj')).toThrow(/private_key_path .* or password/);
    expect(() => snowflakeOptions('prod', { ...base, password: 'x', passwd: 'y' }, '/proj')).toThrow(/unknown setting\(s\) passwd/);
    expect(() => snowflakeOptions('prod', { user: 'SVC', database: 'A', password: 'x' }, '/proj')).toThrow(/needs 'account'/);
  });

  it('query_tag: writeback, the project and the target by default; a target may set its own; longer than Snowflake takes is refused', () => {
    const base = { account: 'org-acct', user: 'SVC', database: 'ANALYTICS', password: 'pw' };
    expect(snowflakeOptions('prod', base, '/proj', 'demo').queryTag).toBe('writeback demo prod');
    expect(snowflakeOptions('prod', { ...base, query_tag: 'finance-planning' }, '/proj', 'demo').queryTag).toBe('finance-planning');
    expect(() => snowflakeOptions('prod', { ...base, query_tag: 'x'.repeat(2001) }, '/proj')).toThrow(/query_tag is 2001 characters; Snowflake takes at most 2000/);
  });
});

import { describe, expect, it } from 'vitest';
import { runTransaction } from '../../../src/adapters/run-transaction.js';
import { SnowflakeAdapter } from '../../../src/adapters/snowflake/snowflake-adapter.js';
import type { SnowflakeBind, SnowflakeResult, SnowflakeSession } from '../../../src/adapters/snowflake/snowflake-session.js';
import { snowflakeDialect } from '../../../src/dialects/snowflake/snowflake-dialect.js';
import { logColumns } from '../../../src/managed/tables.js';
import { sqlNames } from '../../../src/managed/sql-names.js';
import { prepareStages, type StageCache } from '../../../src/write/table-writer.js';
import { testProject } from '../../integration/write/fixture.js';

// Only the SDK boundary (SnowflakeSession) is mocked, with the errors snowflake-sdk raises
// (codes from its constants/gs_errors.js and constants/error_messages.js): no test talks to Snowflake.

const where = { account: 'myorg-acct', user: 'WRITEBACK_SVC', database: 'ANALYTICS' };
const empty: SnowflakeResult = { columns: [], rows: [], updated: undefined };

function sdkError(code: string | number, message: string): Error {
  return Object.assign(new Error(message), { code });
}
const EXPIRED = () => sdkError('390114', 'Authentication token has expired.  The user must authenticate again.');
const GONE = () => sdkError('390111', 'Session no longer exists.  New login required to access the service.');
const TERMINATED = () => sdkError(407002, 'Unable to perform operation using terminated connection.');

/** A warehouse of mocked sessions: each connect opens session n+1; `fail` decides a statement's fate on a session. */
function mockWarehouse(fail: (sql: string, session: number) => Error | undefined = () => undefined, answer: (sql: string) => SnowflakeResult = () => empty) {
  const log: { session: number; sql: string; binds: SnowflakeBind[] | SnowflakeBind[][] }[] = [];
  /** What SHOW TRANSACTIONS lists (the user's running transactions, any session). */
  const transactions: Record<string, unknown>[] = [];
  const up: boolean[] = [];
  let connects = 0;
  let releaseConnect: (() => void) | undefined;
  const connect = async (): Promise<SnowflakeSession> => {
    const n = ++connects;
    up[n] = true;
    if (gate) await new Promise<void>((r) => (releaseConnect = r));
    return {
      execute: async (sql, binds) => {
        log.push({ session: n, sql, binds });
        const err = fail(sql, n);
        if (err) throw err;
        if (sql === 'select current_session() as id') return { columns: [{ name: 'ID', type: 'text', scale: 0 }], rows: [{ ID: String(1000 + n) }], updated: undefined };
        if (sql === 'show transactions') return { columns: [], rows: transactions, updated: undefined };
        return answer(sql);
      },
      isUp: () => up[n]!,
      destroy: async () => {
        up[n] = false;
      },
    };
  };
  let gate = false;
  return {
    log,
    connect,
    connects: () => connects,
    /** The SDK reports session n down (keep-alive failed, destroyed by the server). */
    down: (n: number) => (up[n] = false),
    /** Hold the next connects until `release()`. */
    hold: () => (gate = true),
    release: () => {
      gate = false;
      releaseConnect?.();
    },
    on: (n: number) => log.filter((l) => l.session === n).map((l) => l.sql),
    transactions,
  };
}

const SETUP = /^(alter session|select current_session\(\))/;
const setup = (sqls: string[]) => sqls.filter((s) => SETUP.test(s));
const work = (sqls: string[]) => sqls.filter((s) => !SETUP.test(s));

describe('Snowflake reconnect (mocked SDK)', () => {
  it('mocked: an expired session fails its statement as connection-lost, and the next call runs on a new session set up like the first', async () => {
    let expired = false;
    const w = mockWarehouse((sql, n) => (n === 1 && expired ? EXPIRED() : undefined));
    const a = await SnowflakeAdapter.open(w.connect, snowflakeDialect, where);
    expect(a.sessionNumber).toBe(1);
    expired = true;
    await expect(a.execute('update t set x = 1 where true')).rejects.toMatchObject({ name: 'WarehouseError', kind: 'connection-lost', code: '390114' });
    expect(a.sessionNumber).toBe(2); // known lost: temporary tables of session 1 are gone
    expect(await a.execute('update t set x = 2 where true')).toBe(0);
    expect(w.connects()).toBe(2);
    expect(setup(w.on(2))).toEqual(setup(w.on(1)));
    expect(setup(w.on(2))[0]).toBe("alter session set timezone = 'UTC'");
    expect(w.on(2).at(-1)).toBe('update t set x = 2 where true');
    expect(w.on(1)).not.toContain('update t set x = 2 where true');
  });

  it('mocked: a read outside a transaction that meets a lost session is run once more on a new one; a write is not', async () => {
    const w = mockWarehouse((sql, n) => (n === 1 && sql === 'select 1' ? GONE() : undefined));
    const a = await SnowflakeAdapter.open(w.connect, snowflakeDialect, where);
    expect(await a.query('select 1')).toEqual([]);
    expect(w.log.filter((l) => l.sql === 'select 1').map((l) => l.session)).toEqual([1, 2]);
    expect(a.sessionNumber).toBe(2);

    const b = mockWarehouse((sql, n) => (n === 1 && sql.startsWith('insert') ? TERMINATED() : undefined));
    const writer = await SnowflakeAdapter.open(b.connect, snowflakeDialect, where);
    await expect(writer.execute('insert into t values (:1)', ['a'])).rejects.toMatchObject({ kind: 'connection-lost' });
    expect(b.log.filter((l) => l.sql.startsWith('insert'))).toHaveLength(1);
  });

  it('mocked: a session the SDK reports down (isUp false) is replaced before the next statement, and sessionNumber says so at once', async () => {
    const w = mockWarehouse();
    const a = await SnowflakeAdapter.open(w.connect, snowflakeDialect, where);
    w.down(1);
    expect(a.sessionNumber).toBe(2);
    await a.query('select 1');
    expect(w.on(2)).toContain('select 1');
    expect(w.on(1)).not.toContain('select 1');
  });

  it('mocked: concurrent callers after a loss share one new connection', async () => {
    const w = mockWarehouse();
    const a = await SnowflakeAdapter.open(w.connect, snowflakeDialect, where);
    w.down(1);
    w.hold();
    const reads = Array.from({ length: 20 }, (_, i) => a.query(`select ${i}`));
    await new Promise((r) => setTimeout(r, 0));
    w.release();
    await Promise.all(reads);
    expect(w.connects()).toBe(2);
    expect(w.log.filter((l) => /^select \d+$/.test(l.sql)).map((l) => l.session)).toEqual(Array(20).fill(2));
    expect(a.sessionNumber).toBe(2);
  });

  it('mocked: many statements failing on one lost session count one loss', async () => {
    let dead = false;
    const w = mockWarehouse((sql, n) => (n === 1 && dead && sql.startsWith('update') ? TERMINATED() : undefined));
    const a = await SnowflakeAdapter.open(w.connect, snowflakeDialect, where);
    dead = true;
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => a.execute('update t set x = 1 where true')));
    expect(results.every((r) => r.status === 'rejected')).toBe(true);
    expect(a.sessionNumber).toBe(2);
  });

  it('mocked: inside a transaction a lost session is never re-run: the transaction fails connection-lost, its later statements do not run, no ROLLBACK is sent to a dead session, and the transaction it left detached is aborted from the next session', async () => {
    const w = mockWarehouse((sql, n) => (n === 1 && sql === 'update b' ? GONE() : undefined));
    // another process's running transaction, and the one session 1 left detached (holding its locks)
    w.transactions.push({ id: '1700000000001', user: 'WRITEBACK_SVC', session: '4242', state: 'running' }, { id: '1700000000002', user: 'WRITEBACK_SVC', session: '1001', state: 'running' });
    const a = await SnowflakeAdapter.open(w.connect, snowflakeDialect, where);
    const from = w.log.length;
    const failed = runTransaction(
      a,
      async (tx) => {
        await tx.execute('update a');
        await tx.execute('update b');
        await tx.query('select c');
      },
      { retries: 5 },
    );
    await expect(failed).rejects.toMatchObject({ kind: 'connection-lost', commitOutcomeUnknown: false });
    expect(w.log.slice(from).map((l) => l.sql)).toEqual(['begin', 'update a', 'update b']);
    // the next transaction runs whole on a new session
    await runTransaction(a, async (tx) => tx.execute('update a'));
    expect(work(w.on(2))).toEqual(['show transactions', 'select system$abort_transaction(to_number(?))', 'begin', 'update a', 'commit']);
    expect(w.log.find((l) => l.sql.includes('abort_transaction'))!.binds).toEqual(['1700000000002']);
  });

  it('mocked: a transaction whose session the SDK reports down mid-way fails connection-lost without running on another session', async () => {
    const w = mockWarehouse();
    const a = await SnowflakeAdapter.open(w.connect, snowflakeDialect, where);
    await expect(
      runTransaction(a, async (tx) => {
        await tx.execute('update a');
        w.down(1);
        await tx.execute('update b');
      }),
    ).rejects.toMatchObject({ kind: 'connection-lost' });
    expect(w.log.map((l) => l.sql)).not.toContain('update b');
    expect(w.connects()).toBe(1);
  });

  it('mocked: a COMMIT that lost its session is reported with an unknown outcome and never re-run; the next call opens a new session', async () => {
    const w = mockWarehouse((sql, n) => (n === 1 && sql === 'commit' ? sdkError(401001, 'Network error. Could not reach Snowflake.') : undefined));
    const a = await SnowflakeAdapter.open(w.connect, snowflakeDialect, where);
    await expect(runTransaction(a, (tx) => tx.execute('update a'), { retries: 5 })).rejects.toMatchObject({ kind: 'connection-lost', commitOutcomeUnknown: true });
    expect(w.log.filter((l) => l.sql === 'commit')).toHaveLength(1);
    expect(w.log.filter((l) => l.sql === 'update a')).toHaveLength(1);
    expect(w.log.map((l) => l.sql)).not.toContain('rollback');
    await a.query('select 1');
    expect(w.on(2)).toContain('select 1');
  });

  it('mocked: a socket error as the cause of a failed request is connection-lost', async () => {
    let reset = false;
    const w = mockWarehouse((_sql, n) => (n === 1 && reset ? Object.assign(new Error('Request to Snowflake failed.'), { cause: { code: 'ECONNRESET' } }) : undefined));
    const a = await SnowflakeAdapter.open(w.connect, snowflakeDialect, where);
    reset = true;
    await expect(a.execute('update t set x = 1 where true')).rejects.toMatchObject({ kind: 'connection-lost' });
    expect(a.sessionNumber).toBe(2);
  });

  it('mocked: a re-open that cannot reach Snowflake is connection-lost (the next call tries again); rejected credentials stay a UsageError', async () => {
    let connects = 0;
    let failWith: Error | undefined;
    const session = (n: number): SnowflakeSession => ({
      execute: async (sql) => {
        if (n === 1 && sql === 'select 1') throw GONE();
        return empty;
      },
      destroy: async () => undefined,
    });
    const a = await SnowflakeAdapter.open(
      async () => {
        connects++;
        if (connects > 1 && failWith) throw failWith;
        return session(connects);
      },
      snowflakeDialect,
      where,
    );
    failWith = sdkError(401001, 'Network error. Could not reach Snowflake.');
    await expect(a.query('select 1')).rejects.toMatchObject({ kind: 'connection-lost' });
    failWith = sdkError('390100', 'Incorrect username or password was specified.');
    await expect(a.query('select 2')).rejects.toThrow(/Snowflake refused user 'WRITEBACK_SVC'/);
    failWith = undefined;
    expect(await a.query('select 3')).toEqual([]);
  });

  it('mocked: the write path re-creates its temporary key table on the new session after a loss', async () => {
    const project = testProject('/tmp');
    const input = project.inputs.forecast!;
    const names = sqlNames(project, 'dev', snowflakeDialect);
    const logCols = logColumns(input);
    const describe: SnowflakeResult = {
      columns: ['TABLE_SCHEMA', 'TABLE_NAME', 'TABLE_TYPE', 'COLUMN_NAME', 'DATA_TYPE', 'NUMERIC_PRECISION', 'NUMERIC_SCALE'].map((name) => ({ name, type: 'text', scale: 0 })),
      rows: logCols.map((c) => ({ TABLE_SCHEMA: 'WRITEBACK', TABLE_NAME: `${input.name}__log`.toUpperCase(), TABLE_TYPE: 'BASE TABLE', COLUMN_NAME: c.name.toUpperCase(), DATA_TYPE: 'TEXT', NUMERIC_PRECISION: null, NUMERIC_SCALE: null })),
      updated: undefined,
    };
    const w = mockWarehouse(undefined, (sql) => (sql.includes('information_schema.columns') ? describe : empty));
    const a = await SnowflakeAdapter.open(w.connect, snowflakeDialect, where);
    const cache: StageCache = new Map();
    const creates = (n: number) => w.on(n).filter((s) => s.startsWith('create temporary table'));
    await prepareStages(a, names, input, cache);
    await prepareStages(a, names, input, cache);
    expect(creates(1)).toHaveLength(1);
    w.down(1);
    await prepareStages(a, names, input, cache);
    expect(creates(2)).toHaveLength(1);
    expect(creates(2)[0]).toContain(`"_WB_KEYS_${input.name.toUpperCase()}"`);
  });
});

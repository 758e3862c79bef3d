import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Adapter, Row, SqlValue } from '../../../src/adapters/adapter.js';
import type { DuckDBAdapter } from '../../../src/adapters/duckdb/duckdb-adapter.js';
import { sqlNames } from '../../../src/managed/sql-names.js';
import { TableWriter } from '../../../src/write/table-writer.js';
import { prepareRequest } from '../../../src/write/prepare-request.js';
import type { WriteContext } from '../../../src/write/write-context.js';
import type { PreparedRequest } from '../../../src/write/write-request.js';
import { logCount, setup, type TestEnv } from './fixture.js';

let env: TestEnv;
beforeEach(async () => (env = await setup()));
afterEach(async () => env.done());

/** A connection that fails the state upsert of the N-th transaction once (an "unexpected" warehouse error). */
function flaky(real: DuckDBAdapter, failOnTransaction: number, state: { failed: boolean }): Adapter & { raw: DuckDBAdapter['raw'] } {
  let transactions = 0;
  let inTx = false;
  return {
    dialect: real.dialect,
    raw: real.raw,
    query: <T extends Row = Row>(sql: string, params?: SqlValue[]) => real.query<T>(sql, params),
    execute: async (sql: string, params?: SqlValue[]) => {
      if (inTx && !state.failed && transactions === failOnTransaction && /^insert into .*"forecast" \(/.test(sql)) {
        state.failed = true;
        throw new Error('simulated warehouse failure');
      }
      return real.execute(sql, params);
    },
    begin: async () => {
      transactions++;
      inTx = true;
      await real.begin();
    },
    commit: () => real.commit().finally(() => (inTx = false)),
    rollback: () => real.rollback().finally(() => (inTx = false)),
    describeSchemas: (schemas: string[]) => real.describeSchemas(schemas),
    close: () => real.close(),
  };
}

describe('group commit failure', () => {
  it('retries the requests of a failed group one by one; all are committed once', async () => {
    const conn = await env.adapter.fork();
    const names = sqlNames(env.project, 'dev', env.adapter.dialect);
    const ctx: WriteContext = { project: env.project, targetName: 'dev', names, reader: env.adapter, maxBatchRows: 1000 };
    const state = { failed: false };
    const writer = new TableWriter(flaky(conn, 2, state), () => names, 'forecast');
    const prepare = async (quarter: string) => {
      const p = await prepareRequest(ctx, 'upsert', 'forecast', [{ account_id: 'A1', quarter, amount: '1.00' }], { user: 'u', requestId: quarter });
      if (!('input' in p)) throw new Error('not prepared');
      return p as PreparedRequest;
    };
    const reqs = await Promise.all(['2026-Q1', '2026-Q2', '2026-Q3'].map(prepare));
    // the first submit starts a transaction alone; the next two queue behind it and form the second (failing) group
    const results = await Promise.all(reqs.map((r) => writer.submit(r)));
    expect(state.failed).toBe(true);
    expect(results.map((r) => r.ok)).toEqual([true, true, true]);
    await writer.idle();
    expect(await logCount(env, 'forecast')).toBe(3);
    expect(await env.count('select count(*) as n from writeback._wb_idempotency')).toBe(3);
    expect((await env.wb.verify()).problems).toEqual([]);
    await conn.close();
  });
});

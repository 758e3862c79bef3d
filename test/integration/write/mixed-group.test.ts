import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Adapter, Row, SqlValue } from '../../../src/adapters/adapter.js';
import type { DuckDBAdapter } from '../../../src/adapters/duckdb/duckdb-adapter.js';
import { sqlNames } from '../../../src/managed/sql-names.js';
import { TableWriter } from '../../../src/write/table-writer.js';
import { prepareRequest } from '../../../src/write/prepare-request.js';
import type { WriteContext } from '../../../src/write/write-context.js';
import type { PreparedRequest } from '../../../src/write/write-request.js';
import { setup, type TestEnv } from './fixture.js';

// On DuckDB a group whose keys are partly new writes the state in two statements (an update of the
// keys that have a row, an insert of the others; dialect `splitMixedUpsert`), from entries bound as
// one VALUES list (`valuesRelation`). A group is formed here as the server forms one: requests
// submitted while a transaction runs queue and commit together.

let env: TestEnv;
beforeEach(async () => (env = await setup()));
afterEach(async () => env.done());

/** The writer's connection, counting its transactions, with `beforeUpdate` run (on it, inside the transaction) before each state update. */
function hooked(real: DuckDBAdapter, counts: { transactions: number; stateSql?: string[] }, beforeUpdate: () => Promise<void> = async () => {}): Adapter & { raw: DuckDBAdapter['raw'] } {
  return {
    dialect: real.dialect,
    raw: real.raw,
    query: <T extends Row = Row>(sql: string, params?: SqlValue[]) => real.query<T>(sql, params),
    execute: async (sql: string, params?: SqlValue[]) => {
      if (/^(update|insert into) "writeback"\."forecast" /.test(sql)) counts.stateSql?.push(sql);
      if (/^update "writeback"\."forecast" set /.test(sql)) await beforeUpdate();
      return real.execute(sql, params);
    },
    begin: () => {
      counts.transactions++;
      return real.begin();
    },
    commit: () => real.commit(),
    rollback: () => real.rollback(),
    describeSchemas: (schemas: string[]) => real.describeSchemas(schemas),
    close: () => real.close(),
  };
}

async function writerOn(conn: Adapter): Promise<{ writer: TableWriter; prepare: (rows: Record<string, unknown>[], user: string) => Promise<PreparedRequest> }> {
  const names = sqlNames(env.project, 'dev', env.adapter.dialect);
  const ctx: WriteContext = { project: env.project, targetName: 'dev', names, reader: env.adapter, maxBatchRows: 1000 };
  const prepare = async (rows: Record<string, unknown>[], user: string) => {
    const p = await prepareRequest(ctx, 'upsert', 'forecast', rows, { user });
    if (!('input' in p)) throw new Error(`not prepared: ${JSON.stringify(p)}`);
    return p as PreparedRequest;
  };
  return { writer: new TableWriter(conn, () => names, 'forecast'), prepare };
}

const stateRows = () =>
  env.adapter.query(
    `select account_id, quarter, cast(amount as varchar) as amount, note, _version as version, _updated_by as by from writeback.forecast order by account_id, quarter`,
  );

describe('a group of new and existing keys (DuckDB: update + insert from one VALUES list)', () => {
  it('commits as if each request had been written alone: versions, values, a key written twice, the chain', async () => {
    expect(env.adapter.dialect.splitMixedUpsert && env.adapter.dialect.valuesRelation).toBe(true);
    const seeded = await env.wb.inputs.write('forecast', [
      { account_id: 'A1', quarter: '2026-Q1', amount: '1.00', note: 'seed' },
      { account_id: 'A2', quarter: '2026-Q1', amount: '1.00', note: 'seed' },
    ], { user: 'seed' });
    expect(seeded.ok).toBe(true);
    const counts = { transactions: 0, stateSql: [] as string[] };
    const { writer, prepare } = await writerOn(hooked(await env.adapter.fork(), counts));
    const requests = await Promise.all([
      prepare([{ account_id: 'B2', quarter: '2026-Q4', amount: '9.00' }], 'first'), // starts a transaction alone
      prepare([{ account_id: 'A1', quarter: '2026-Q1', amount: '2.00' }], 'u1'), // existing key
      prepare([{ account_id: 'B1', quarter: '2026-Q1', amount: '3.00', note: "it's new" }], 'u2'), // new key
      prepare([{ account_id: 'A1', quarter: '2026-Q1', amount: '4.00' }], 'u3'), // the existing key again
      prepare([{ account_id: 'B1', quarter: '2026-Q1', amount: '5.00' }], 'u4'), // the new key again
      prepare([{ account_id: 'A2', quarter: '2026-Q1', note: null }, { account_id: 'B2', quarter: '2026-Q2', amount: '6.00' }], 'u5'), // one of each
    ]);
    const results = await Promise.all(requests.map((r) => writer.submit(r)));
    await writer.idle();
    expect(results.map((r) => r.ok)).toEqual([true, true, true, true, true, true]);
    // the first request ran alone; the five others queued behind it and committed as one group
    expect(counts.transactions).toBe(2);
    // the group's state: one update (of A1, A2) and one insert (of B1, B2), each from a VALUES list; no upsert
    const group = counts.stateSql.slice(1);
    expect(group.map((sql) => sql.split(' ')[0])).toEqual(['update', 'insert']);
    expect(group.every((sql) => sql.includes('(values (') && !sql.includes('on conflict'))).toBe(true);
    expect(await stateRows()).toEqual([
      { account_id: 'A1', quarter: '2026-Q1', amount: '4.00', note: 'seed', version: 3, by: 'u3' },
      { account_id: 'A2', quarter: '2026-Q1', amount: '1.00', note: null, version: 2, by: 'u5' },
      { account_id: 'B1', quarter: '2026-Q1', amount: '5.00', note: "it's new", version: 2, by: 'u4' },
      { account_id: 'B2', quarter: '2026-Q2', amount: '6.00', note: null, version: 1, by: 'u5' },
      { account_id: 'B2', quarter: '2026-Q4', amount: '9.00', note: null, version: 1, by: 'first' },
    ]);
    const report = await env.wb.verify();
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
  });

  it('decides the group again when a state row it updates went away during the transaction (nothing is lost)', async () => {
    const seeded = await env.wb.inputs.write('forecast', [{ account_id: 'A1', quarter: '2026-Q1', amount: '1.00' }], { user: 'seed' });
    expect(seeded.ok).toBe(true);
    const real = await env.adapter.fork();
    const counts = { transactions: 0 };
    let updates = 0;
    // the group's first state update finds its row deleted (by a statement of the same transaction,
    // so the rollback brings it back): it changes 0 of 1 rows, and committing would lose A1's row
    const conn = hooked(real, counts, async () => {
      if (updates++ === 0) await real.execute(`delete from writeback.forecast where account_id = 'A1'`);
    });
    const { writer, prepare } = await writerOn(conn);
    const requests = await Promise.all([
      prepare([{ account_id: 'A2', quarter: '2026-Q3', amount: '7.00' }], 'first'),
      prepare([{ account_id: 'A1', quarter: '2026-Q1', amount: '2.00' }], 'u1'),
      prepare([{ account_id: 'B1', quarter: '2026-Q1', amount: '3.00' }], 'u2'),
    ]);
    const results = await Promise.all(requests.map((r) => writer.submit(r)));
    await writer.idle();
    expect(results.map((r) => r.ok)).toEqual([true, true, true]);
    expect(updates).toBe(2); // the failed attempt, then the group decided again
    expect(counts.transactions).toBe(3); // the first request alone, the group twice
    expect((await stateRows()).map((r) => [r.account_id, r.quarter, r.amount, r.version])).toEqual([
      ['A1', '2026-Q1', '2.00', 2],
      ['A2', '2026-Q3', '7.00', 1],
      ['B1', '2026-Q1', '3.00', 1],
    ]);
    expect((await env.wb.verify()).ok).toBe(true);
  });
});

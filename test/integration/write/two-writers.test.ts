import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createWriteback } from '../../../src/library/writeback.js';
import { advanceChainHead, readChainHead } from '../../../src/write/chain-head.js';
import { sqlNames } from '../../../src/managed/sql-names.js';
import { logCount, setup, type TestEnv } from './fixture.js';

let env: TestEnv;
beforeEach(async () => (env = await setup()));
afterEach(async () => env.done());

describe('several writers on one warehouse', () => {
  it('two independent writers (own queues, own connections) keep one intact chain: the head moves by compare-and-swap', async () => {
    const other = await createWriteback(env.project, env.adapter, { targetName: 'dev' });
    const writes = Array.from({ length: 30 }, (_, i) =>
      (i % 2 ? other : env.wb).inputs.write('forecast', [{ account_id: 'A1', quarter: `20${10 + i}-Q1`, amount: `${i}.00` }], { user: `w${i % 2}`, requestId: `two-${i}` }),
    );
    const results = await Promise.all(writes);
    expect(results.filter((r) => !r.ok)).toEqual([]);
    await other.close();
    expect(await logCount(env, 'forecast')).toBe(30);
    const report = await env.wb.verify();
    expect(report.problems).toEqual([]);
    const ids = await env.count('select count(distinct _entry_id) as n from writeback.forecast__log');
    expect(ids).toBe(30);
  });

  it('a bulk batch from a writer whose cached chain head went stale (the other writer committed since) is decided again and upserts only its own entries', async () => {
    const other = await createWriteback(env.project, env.adapter, { targetName: 'dev' });
    const rows = (body: string) => Array.from({ length: 40 }, (_, i) => ({ id: i + 1, body }));
    expect((await env.wb.inputs.write('notes', rows('a'), { user: 'a' })).ok).toBe(true);
    expect((await other.inputs.write('notes', [{ id: 8, body: 'b' }], { user: 'b' })).ok).toBe(true);
    const again = await env.wb.inputs.write('notes', rows('c'), { user: 'a' });
    expect(again.ok && again.entries.map((e) => e.version)).toEqual(Array.from({ length: 40 }, (_, i) => (i === 7 ? 3 : 2)));
    await other.close();
    expect(await env.count("select count(*) as n from writeback.notes where body = 'c'")).toBe(40);
    expect((await env.wb.verify()).problems).toEqual([]);
  });

  it("writers of two inputs move their heads, rows of DuckDB's one _wb_heads, in transactions open at the same time: both commit; two moving one head: the second compare-and-swap fails", async () => {
    const names = sqlNames(env.project, 'dev', env.adapter.dialect);
    const [a, b] = [await env.adapter.fork(), await env.adapter.fork()];
    try {
      for (let round = 0; round < 20; round++) {
        await a.begin();
        await b.begin();
        const [ha, hb] = [await readChainHead(a, names, 'forecast'), await readChainHead(b, names, 'notes')];
        await advanceChainHead(a, names, 'forecast', ha, { seq: ha.seq + 1, head: `f${round}` }, Date.now());
        await advanceChainHead(b, names, 'notes', hb, { seq: hb.seq + 1, head: `n${round}` }, Date.now());
        await b.commit();
        await a.commit();
      }
    } finally {
      await a.close();
      await b.close();
    }
    expect(await env.adapter.query('select table_name, seq, head from writeback._wb_heads order by table_name')).toEqual([
      { table_name: 'forecast', seq: 20, head: 'f19' },
      { table_name: 'notes', seq: 20, head: 'n19' },
    ]);
    // the same row in two open transactions: the second compare-and-swap fails (and its group would be decided again)
    const [c, d] = [await env.adapter.fork(), await env.adapter.fork()];
    try {
      await c.begin();
      await d.begin();
      const head = await readChainHead(c, names, 'forecast');
      await advanceChainHead(c, names, 'forecast', head, { seq: head.seq + 1, head: 'c' }, Date.now());
      await expect(advanceChainHead(d, names, 'forecast', head, { seq: head.seq + 1, head: 'd' }, Date.now())).rejects.toThrow();
      await c.commit();
      await d.rollback();
    } finally {
      await c.close();
      await d.close();
    }
  });

  it('writes to two inputs at once, each from two writers, keep both chains intact', async () => {
    const other = await createWriteback(env.project, env.adapter, { targetName: 'dev' });
    const writes = Array.from({ length: 40 }, (_, i) =>
      i % 4 < 2
        ? (i % 2 ? other : env.wb).inputs.write('forecast', [{ account_id: 'A1', quarter: `20${10 + i}-Q1`, amount: `${i}.00` }], { user: `w${i % 2}` })
        : (i % 2 ? other : env.wb).inputs.write('notes', [{ id: i, body: `b${i}` }], { user: `w${i % 2}` }),
    );
    expect((await Promise.all(writes)).filter((r) => !r.ok)).toEqual([]);
    await other.close();
    expect([await logCount(env, 'forecast'), await logCount(env, 'notes')]).toEqual([20, 20]);
    expect((await env.wb.verify()).problems).toEqual([]);
  });
});

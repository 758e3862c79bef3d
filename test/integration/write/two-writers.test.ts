import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createWriteback } from '../../../src/library/writeback.js';
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
});

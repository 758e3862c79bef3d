import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { logCount, setup, type TestEnv } from './fixture.js';

let env: TestEnv;
beforeEach(async () => (env = await setup()));
afterEach(async () => env.done());

const key = { account_id: 'A1', quarter: '2026-Q1' };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('write semantics', () => {
  it('keeps absent columns, records an explicit null as a value, and logs old values', async () => {
    await env.wb.inputs.write('forecast', [{ ...key, amount: '10.00', note: 'first' }], { user: 'alice' });
    const r = await env.wb.inputs.write('forecast', [{ ...key, note: null }], { user: 'bob', comment: 'blank it' });
    expect(r.ok).toBe(true);
    const rows = await env.wb.inputs.rows('forecast');
    expect(rows.ok && rows.rows[0]).toMatchObject({ amount: '10.00', note: null, confidence: 'medium', _version: 2, _updated_by: 'bob' });
    const state = await env.adapter.query('select _set_columns from writeback.forecast');
    expect(state[0]!._set_columns).toBe('|account_id|quarter|amount|confidence|note|');
    const log = await env.adapter.query('select _op, _user, _comment, _old_values, _set_columns from writeback.forecast__log order by _seq');
    expect(log[1]).toEqual({ _op: 'upsert', _user: 'bob', _comment: 'blank it', _old_values: '{"note":"first"}', _set_columns: '|account_id|quarter|amount|confidence|note|' });
    const h = await env.wb.inputs.history('forecast', { key });
    expect(h.ok && h.entries.map((e) => e.changes)).toEqual([
      [
        { column: 'account_id', old: null, new: 'A1' },
        { column: 'quarter', old: null, new: '2026-Q1' },
        { column: 'amount', old: null, new: '10.00' },
        { column: 'confidence', old: null, new: 'medium' },
        { column: 'note', old: null, new: 'first' },
      ],
      [{ column: 'note', old: 'first', new: null }],
    ]);
  });

  it('the user and time come from the writer, never the payload', async () => {
    const before = Date.now();
    const r = await env.wb.inputs.write('forecast', [{ ...key, amount: '1.00', _user: 'mallory' }], { user: 'alice' });
    expect(!r.ok && r.error.details[0]).toMatchObject({ row: 0, column: '_user' });
    const ok = await env.wb.inputs.write('forecast', [{ ...key, amount: '1.00' }], { user: 'alice' });
    expect(ok.ok).toBe(true);
    if (!ok.ok) return;
    expect(Date.parse(ok.at)).toBeGreaterThanOrEqual(before);
    expect(ok.at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('two writers from the same version: exactly one wins, the loser is told who changed it', async () => {
    const first = await env.wb.inputs.write('forecast', [{ ...key, amount: '1.00' }], { user: 'alice' });
    expect(first.ok && first.entries[0]!.version).toBe(1);
    const [a, b] = await Promise.all([
      env.wb.inputs.write('forecast', [{ ...key, amount: '2.00', _version: 1 }], { user: 'bob' }),
      env.wb.inputs.write('forecast', [{ ...key, amount: '3.00', _version: 1 }, { account_id: 'A2', quarter: '2026-Q1', amount: '5.00' }], { user: 'carol' }),
    ]);
    const winners = [a, b].filter((r) => r.ok);
    const losers = [a, b].filter((r) => !r.ok);
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(1);
    const loser = losers[0]!;
    const winnerUser = a.ok ? 'bob' : 'carol';
    if (loser.ok) return;
    expect(loser.error.code).toBe('conflict');
    expect(loser.error.details[0]).toMatchObject({
      row: 0,
      key,
      expected_version: 1,
      _version: 2,
      _updated_by: winnerUser,
      current: expect.objectContaining({ amount: a.ok ? '2.00' : '3.00' }),
    });
    expect(loser.error.details[0]!.message).toContain(winnerUser);
    // the log holds exactly the acknowledged writes (the loser's second row was not written either)
    expect(await logCount(env, 'forecast')).toBe(1 + (a.ok ? 1 : 2));
    const v = await env.wb.verify();
    expect(v.problems).toEqual([]);
  });

  it('_version 0 means "must not exist yet"', async () => {
    expect((await env.wb.inputs.write('forecast', [{ ...key, amount: '1.00', _version: 0 }], { user: 'a' })).ok).toBe(true);
    const again = await env.wb.inputs.write('forecast', [{ ...key, amount: '1.00', _version: 0 }], { user: 'b' });
    expect(!again.ok && again.error.code).toBe('conflict');
  });

  it('without _version the last writer wins, fully logged', async () => {
    await env.wb.inputs.write('forecast', [{ ...key, amount: '1.00' }], { user: 'a' });
    await env.wb.inputs.write('forecast', [{ ...key, amount: '2.00' }], { user: 'b' });
    const rows = await env.wb.inputs.rows('forecast');
    expect(rows.ok && rows.rows[0]).toMatchObject({ amount: '2.00', _version: 2, _updated_by: 'b' });
    expect(await logCount(env, 'forecast')).toBe(2);
  });

  it('idempotency: a retry returns the first result and writes nothing; another payload is rejected', async () => {
    const opts = { user: 'alice', requestId: 'req-1' };
    const first = await env.wb.inputs.write('forecast', [{ ...key, amount: '1.00' }], opts);
    const retry = await env.wb.inputs.write('forecast', [{ ...key, amount: '1.00' }], opts);
    expect(first.ok && retry.ok).toBe(true);
    if (!first.ok || !retry.ok) return;
    expect(retry.replayed).toBe(true);
    expect(retry.entries).toEqual(first.entries);
    expect(await logCount(env, 'forecast')).toBe(1);
    const reused = await env.wb.inputs.write('forecast', [{ ...key, amount: '9.00' }], opts);
    expect(!reused.ok && reused.error.code).toBe('idempotency_key_reused');
    expect(await logCount(env, 'forecast')).toBe(1);
    // stored scoped to its user: another user's 'req-1' is another request
    expect(await env.count(`select count(*) as n from writeback._wb_idempotency where request_id = '["alice","req-1"]'`)).toBe(1);
    // concurrent retries of one request: still written once
    const same = { user: 'alice', requestId: 'req-2' };
    const all = await Promise.all(Array.from({ length: 5 }, () => env.wb.inputs.write('forecast', [{ ...key, amount: '7.00' }], same)));
    expect(all.every((r) => r.ok)).toBe(true);
    expect(await logCount(env, 'forecast')).toBe(2);
  });

  it('delete: logged, leaves the state as a tombstone, history keeps old values, re-create continues the version', async () => {
    await env.wb.inputs.write('forecast', [{ ...key, amount: '1.00', note: 'n' }], { user: 'alice' });
    const denied = await env.wb.inputs.delete('forecast', [key], { user: 'pat', role: 'planner', attributes: { region: 'EMEA' } });
    expect(!denied.ok && denied.error.code).toBe('forbidden');
    const del = await env.wb.inputs.delete('forecast', [{ ...key, _version: 1 }], { user: 'fin', role: 'finance' });
    expect(del.ok && del.entries[0]).toMatchObject({ op: 'delete', version: 2 });
    const rows = await env.wb.inputs.rows('forecast');
    expect(rows.ok && rows.rows).toEqual([]);
    expect(await env.count('select count(*) as n from writeback.forecast where _deleted')).toBe(1);
    const again = await env.wb.inputs.delete('forecast', [key], { user: 'fin', role: 'finance' });
    expect(!again.ok && again.error.code).toBe('not_found');
    const extra = await env.wb.inputs.delete('forecast', [{ ...key, amount: '1.00' }], { user: 'fin' });
    expect(!extra.ok && extra.error.details[0]).toMatchObject({ row: 0, column: 'amount' });
    const h = await env.wb.inputs.history('forecast', { key });
    expect(h.ok && h.entries.map((e) => [e.op, e.user, e.version])).toEqual([
      ['upsert', 'alice', 1],
      ['delete', 'fin', 2],
    ]);
    expect(h.ok && h.entries[1]!.changes).toEqual([
      { column: 'amount', old: '1.00', new: null },
      { column: 'confidence', old: 'medium', new: null },
      { column: 'note', old: 'n', new: null },
    ]);
    const back = await env.wb.inputs.write('forecast', [{ ...key, amount: '4.00', _version: 0 }], { user: 'alice' });
    expect(back.ok && back.entries[0]!.version).toBe(3);
    const now = await env.wb.inputs.rows('forecast');
    expect(now.ok && now.rows[0]).toMatchObject({ amount: '4.00', note: null, confidence: 'medium', _version: 3 });
    expect((await env.wb.verify()).problems).toEqual([]);
  });

  it('as-of reads replay the log', async () => {
    await env.wb.inputs.write('forecast', [{ ...key, amount: '1.00' }], { user: 'a' });
    await sleep(5);
    const t1 = new Date();
    await sleep(5);
    await env.wb.inputs.write('forecast', [{ ...key, amount: '2.00' }, { account_id: 'A2', quarter: '2026-Q1', amount: '5.00' }], { user: 'b' });
    await sleep(5);
    const t2 = new Date();
    await sleep(5);
    await env.wb.inputs.delete('forecast', [key], { user: 'c' });
    const at = async (asOf?: Date) => {
      const r = await env.wb.inputs.rows('forecast', asOf ? { asOf } : {});
      return r.ok ? r.rows.map((x) => [x.account_id, x.amount, x._version]) : r.error;
    };
    expect(await at(new Date(0))).toEqual([]);
    expect(await at(t1)).toEqual([['A1', '1.00', 1]]);
    expect(await at(t2)).toEqual([['A1', '2.00', 2], ['A2', '5.00', 1]]);
    expect(await at()).toEqual([['A2', '5.00', 1]]);
    const bad = await env.wb.inputs.rows('forecast', { asOf: 'yesterday' });
    expect(!bad.ok && bad.error.code).toBe('bad_request');
  });

  it('scenarios store overrides and fall back to base per key and per column', async () => {
    await env.wb.inputs.write('forecast', [{ ...key, amount: '1.00', note: 'base note' }, { account_id: 'A2', quarter: '2026-Q1', amount: '2.00' }], { user: 'a' });
    await env.wb.inputs.write('forecast', [{ ...key, amount: '9.00' }, { account_id: 'B1', quarter: '2026-Q1', amount: '3.00' }], { user: 'b', scenario: 'upside' });
    await env.wb.inputs.delete('forecast', [{ account_id: 'A2', quarter: '2026-Q1' }], { user: 'b', scenario: 'upside' });
    const up = await env.wb.inputs.rows('forecast', { scenario: 'upside' });
    expect(up.ok && up.rows.map((r) => [r.account_id, r.amount, r.note, r._scenario, r._version])).toEqual([
      ['A1', '9.00', 'base note', 'upside', 1],
      ['B1', '3.00', null, 'upside', 1],
    ]);
    const base = await env.wb.inputs.rows('forecast');
    expect(base.ok && base.rows.map((r) => [r.account_id, r.amount])).toEqual([
      ['A1', '1.00'],
      ['A2', '2.00'],
    ]);
  });

  it('pages through rows with a cursor and filters with bound values', async () => {
    const rows = Array.from({ length: 7 }, (_, i) => ({ account_id: i % 2 ? 'A1' : 'A2', quarter: `202${i}-Q1`, amount: `${i}.00` }));
    await env.wb.inputs.write('forecast', rows, { user: 'a' });
    const seen: string[] = [];
    let cursor: string | undefined;
    for (;;) {
      const page = await env.wb.inputs.rows('forecast', { limit: 3, ...(cursor ? { cursor } : {}) });
      if (!page.ok) throw new Error(page.error.message);
      seen.push(...page.rows.map((r) => `${r.account_id}/${r.quarter}`));
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    expect(seen).toEqual([...rows].map((r) => `${r.account_id}/${r.quarter}`).sort());
    const f = await env.wb.inputs.rows('forecast', { filter: { account_id: "A1' or '1'='1" } });
    expect(f.ok && f.rows).toEqual([]);
    const g = await env.wb.inputs.rows('forecast', { filter: { amount: '3.00' } });
    expect(g.ok && g.rows.map((r) => r.quarter)).toEqual(['2023-Q1']);
  });
});

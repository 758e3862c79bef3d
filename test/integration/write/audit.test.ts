import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { historyViewName } from '../../../src/managed/names.js';
import { historyViewSql } from '../../../src/emit/history-view.js';
import { forecast, logCount, setup, type TestEnv } from './fixture.js';

let env: TestEnv;
beforeEach(async () => (env = await setup()));
afterEach(async () => env.done());

const key = { account_id: 'A1', quarter: '2026-Q1' };

async function someWrites(): Promise<void> {
  await env.wb.inputs.write('forecast', [{ ...key, amount: '1.00', note: 'a' }, { account_id: 'A2', quarter: '2026-Q1', amount: '2.00' }], { user: 'alice' });
  await env.wb.inputs.write('forecast', [{ ...key, amount: '3.00', note: null }], { user: 'bob', comment: 'raise', requestId: 'r1' });
  await env.wb.inputs.delete('forecast', [{ account_id: 'A2', quarter: '2026-Q1' }], { user: 'carol' });
}

describe('verify', () => {
  it('passes on an untouched log', async () => {
    await someWrites();
    const report = await env.wb.verify();
    expect(report.ok).toBe(true);
    expect(report.tables.find((t) => t.table === 'forecast')).toEqual({ table: 'forecast', entries: 4, stateRows: 2 });
  });

  it('detects a hand-edited log row (content no longer matches its hash, state drifts)', async () => {
    await someWrites();
    await env.adapter.execute("update writeback.forecast__log set amount = 999 where _seq = 3");
    const report = await env.wb.verify();
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ table: 'forecast', kind: 'broken-chain', seq: 3, message: expect.stringContaining('modified') }),
        expect.objectContaining({ table: 'forecast', kind: 'state-drift', key, message: expect.stringContaining('amount') }),
      ]),
    );
  });

  it('detects a broken chain (an entry removed) and a hand-edited state row', async () => {
    await someWrites();
    await env.adapter.execute('delete from writeback.forecast__log where _seq = 2');
    await env.adapter.execute("update writeback.forecast set note = 'x' where account_id = 'A2'");
    const report = await env.wb.verify();
    const kinds = report.problems.map((p) => p.kind);
    expect(kinds).toContain('broken-chain');
    expect(report.problems.find((p) => p.kind === 'broken-chain')!.message).toMatch(/missing|link/);
    expect(kinds).toContain('state-drift');
  });

  it('detects a forged entry appended with a wrong hash and a moved chain head', async () => {
    await someWrites();
    await env.adapter.execute(
      "insert into writeback.forecast__log (_entry_id, _seq, _op, _scenario, _version, _user, _at, _hash, account_id, quarter, amount) select 'forged', 5, 'upsert', 'base', 9, 'mallory', now(), 'bad', 'A1', '2026-Q1', 0",
    );
    const report = await env.wb.verify();
    expect(report.problems.map((p) => p.kind)).toEqual(expect.arrayContaining(['broken-chain', 'chain-head-mismatch', 'state-drift']));
  });
});

describe('group commit', () => {
  it('50 concurrent write calls: each decided on its own, all committed, one chain', async () => {
    const calls = Array.from({ length: 50 }, (_, i) => {
      const q = `20${String(10 + (i % 10)).padStart(2, '0')}-Q${(i % 4) + 1}`;
      if (i % 10 === 7) return env.wb.inputs.write('forecast', [{ account_id: 'A1', quarter: q, amount: '-5' }], { user: `u${i}` }); // invalid
      if (i % 10 === 9) return env.wb.inputs.write('forecast', [{ account_id: 'A1', quarter: '2099-Q1', amount: `${i}.00`, _version: 0 }], { user: `u${i}` }); // only one may create
      return env.wb.inputs.write('forecast', [{ account_id: i % 2 ? 'A1' : 'A2', quarter: q, amount: `${i}.00` }], { user: `u${i}`, requestId: `g${i}` });
    });
    const results = await Promise.all(calls);
    const ok = results.filter((r) => r.ok).length;
    const invalid = results.filter((r) => !r.ok && r.error.code === 'validation_failed').length;
    const conflicts = results.filter((r) => !r.ok && r.error.code === 'conflict').length;
    expect(invalid).toBe(5);
    expect(conflicts).toBe(4);
    expect(ok).toBe(41);
    expect(await logCount(env, 'forecast')).toBe(41);
    const seqs = await env.adapter.query<{ s: number; n: number; d: number }>('select min(_seq) as s, max(_seq) as n, count(distinct _seq) as d from writeback.forecast__log');
    expect(seqs[0]).toEqual({ s: 1, n: 41, d: 41 });
    const ids = await env.count('select count(distinct _entry_id) as n from writeback.forecast__log');
    expect(ids).toBe(41);
    const report = await env.wb.verify();
    expect(report.problems).toEqual([]);
    // requests that queued behind a running transaction were committed together (one `_at` per group)
    const groups = await env.count('select count(distinct _at) as n from writeback.forecast__log');
    expect(groups).toBeLessThan(41);
    // the state holds the last acknowledged version of each key
    const versions = await env.adapter.query<{ v: number }>("select _version as v from writeback.forecast where account_id = 'A1' and quarter = '2099-Q1'");
    expect(versions).toEqual([{ v: 1 }]);
    // every acknowledged entry id is in the log
    const acked = results.flatMap((r) => (r.ok ? r.entries.map((e) => e.entryId!) : []));
    const inLog = new Set((await env.adapter.query<{ id: string }>('select _entry_id as id from writeback.forecast__log')).map((r) => r.id));
    expect(acked.every((id) => inLog.has(id))).toBe(true);
  });

  it('dry run decides without writing', async () => {
    const r = await env.wb.inputs.write('forecast', [{ ...key, amount: '1.00' }], { user: 'a', dryRun: true });
    expect(r.ok && r.dryRun).toBe(true);
    expect(await logCount(env, 'forecast')).toBe(0);
  });
});

describe('history', () => {
  it('filters by key, user and since', async () => {
    await someWrites();
    const byUser = await env.wb.inputs.history('forecast', { user: 'bob' });
    expect(byUser.ok && byUser.entries).toEqual([
      expect.objectContaining({ op: 'upsert', user: 'bob', comment: 'raise', requestId: 'r1', key, version: 2, changes: [{ column: 'amount', old: '1.00', new: '3.00' }, { column: 'note', old: 'a', new: null }] }),
    ]);
    const future = await env.wb.inputs.history('forecast', { since: new Date(Date.now() + 60_000) });
    expect(future.ok && future.entries).toEqual([]);
    const bad = await env.wb.inputs.history('forecast', { key: { note: 'x' } });
    expect(!bad.ok && bad.error.code).toBe('bad_request');
  });

  it('the history view lists one row per changed column with old and new values as text', async () => {
    await someWrites();
    await env.adapter.execute(`create view planning.${historyViewName('forecast')} as ${historyViewSql(env.adapter.dialect, 'writeback', forecast)}`);
    const rows = await env.adapter.query<Record<string, unknown>>(
      'select _seq, _user, _op, account_id, _column, _old_value, _new_value from planning.forecast__history order by _seq, _column',
    );
    const lib = await env.wb.inputs.history('forecast');
    const fromLib = lib.ok ? lib.entries.flatMap((e) => e.changes.map((c) => [e.seq, e.user, e.op, e.key.account_id, c.column, c.old, c.new])) : [];
    const fromView = rows.map((r) => [r._seq, r._user, r._op, r.account_id, r._column, r._old_value, r._new_value]);
    const sort = (a: unknown[][]) => [...a].sort((x, y) => `${x[0]}${x[4]}`.localeCompare(`${y[0]}${y[4]}`));
    expect(sort(fromView)).toEqual(sort(fromLib));
    expect(fromView).toContainEqual([3, 'bob', 'upsert', 'A1', 'amount', '1.00', '3.00']);
    expect(fromView).toContainEqual([4, 'carol', 'delete', 'A2', 'amount', '2.00', null]);
  });
});

describe('verify after schema changes', () => {
  it('a column dropped from the project (kept in the log) and a column added later keep old hashes valid', async () => {
    const { forecast: f } = await import('./fixture.js');
    await someWrites();
    // "drop" `note` from the project: the log keeps the column and its old values
    const withoutNote = { ...f, columns: f.columns.filter((c) => c.name !== 'note') };
    // and add a column `owner` to both tables
    const owner = { name: 'owner', type: { kind: 'string' as const }, required: false, loc: f.loc };
    const changed = { ...withoutNote, columns: [...withoutNote.columns, owner] };
    await env.adapter.execute('alter table writeback.forecast__log add column owner varchar');
    await env.adapter.execute('alter table writeback.forecast add column owner varchar');
    await env.wb.reload({ ...env.project, inputs: { ...env.project.inputs, forecast: changed } });
    const w = await env.wb.inputs.write('forecast', [{ account_id: 'A1', quarter: '2026-Q1', owner: 'kim' }], { user: 'dan' });
    expect(w.ok).toBe(true);
    const report = await env.wb.verify({ tables: ['forecast'] });
    expect(report.problems).toEqual([]);
    const h = await env.wb.inputs.history('forecast', { user: 'dan' });
    expect(h.ok && h.entries[0]!.changes).toEqual([{ column: 'owner', old: null, new: 'kim' }]);
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { logCount, setup, type TestEnv } from './fixture.js';

let env: TestEnv;
beforeEach(async () => (env = await setup()));
afterEach(async () => env.done());

const admin = { user: 'alice' };

describe('write', () => {
  it('writes a row and reads it back in wire shape', async () => {
    const r = await env.wb.inputs.write('forecast', [{ account_id: 'A1', quarter: '2026-Q1', amount: '100.5', units: 3, due: '2026-01-02T03:04:05+01:00', active: true, start: '2026-01-01', ratio: 0.25 }], admin);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.entries).toHaveLength(1);
    expect(r.entries[0]).toMatchObject({ key: { account_id: 'A1', quarter: '2026-Q1' }, version: 1, op: 'upsert' });
    expect(r.entries[0]!.entryId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/);
    const rows = await env.wb.inputs.rows('forecast');
    expect(rows.ok && rows.rows).toEqual([
      {
        account_id: 'A1', quarter: '2026-Q1', amount: '100.50', confidence: 'medium', note: null, category: null, units: 3, ratio: 0.25,
        start: '2026-01-01', due: '2026-01-02T02:04:05.000Z', active: true, tier: null,
        _scenario: 'base', _version: 1, _updated_by: 'alice', _updated_at: r.at,
      },
    ]);
    expect(await logCount(env, 'forecast')).toBe(1);
    const v = await env.wb.verify();
    expect(v.problems).toEqual([]);
  });

  it("a write's entries are one per row in row order, the same read directly, spread or serialized, and match the log", async () => {
    const rows = Array.from({ length: 300 }, (_, i) => ({ id: i, body: `note ${i}` }));
    await env.wb.inputs.write('notes', rows.slice(0, 2), admin);
    const r = await env.wb.inputs.write('notes', [rows[0]!, { ...rows[1]!, body: 'changed' }, ...rows.slice(2)], admin);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const serialized = JSON.parse(JSON.stringify(r)) as typeof r;
    expect(Object.keys(serialized)).toEqual(['ok', 'entries', 'at', 'replayed', 'dryRun']);
    expect({ ...r }.entries).toEqual(r.entries);
    expect(serialized.entries).toEqual(r.entries);
    expect(r.entries.map((e) => e.key)).toEqual(rows.map((row) => ({ id: row.id })));
    // the first row is unchanged (no entry, version kept); the second an update; the rest new
    expect(r.entries[0]).toEqual({ entryId: null, key: { id: 0 }, version: 1, op: 'unchanged' });
    expect(r.entries.slice(1).map((e) => [e.version, e.op])).toEqual(rows.slice(1).map((_, i) => [i === 0 ? 2 : 1, 'upsert']));
    const logged = await env.adapter.query('select _entry_id from writeback.notes__log order by _seq');
    expect(logged.slice(2).map((x) => x._entry_id)).toEqual(r.entries.slice(1).map((e) => e.entryId));
  });
});

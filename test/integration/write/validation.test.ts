import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { logCount, setup, type TestEnv } from './fixture.js';

let env: TestEnv;
beforeEach(async () => (env = await setup()));
afterEach(async () => env.done());

const admin = { user: 'alice' };
const ok = { account_id: 'A1', quarter: '2026-Q1', amount: '10.00' };

describe('validation', () => {
  it('rejects the whole batch when one row is bad, and writes nothing', async () => {
    const r = await env.wb.inputs.write('forecast', [ok, { ...ok, quarter: '2026-Q2', amount: '-1' }, { ...ok, quarter: '2026-Q3' }], admin);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('validation_failed');
    expect(r.error.details).toEqual([{ row: 1, column: 'amount', message: expect.stringContaining('below the minimum 0') }]);
    expect(await logCount(env, 'forecast')).toBe(0);
    expect(await env.count('select count(*) as n from writeback.forecast')).toBe(0);
  });

  it('reports every bad row and column, one detail each', async () => {
    const rows = [
      { ...ok, quarter: '2026-Q9' }, // pattern
      { ...ok, quarter: '2026-Q2', amount: 'abc' }, // decimal type
      { ...ok, quarter: '2026-Q3', amount: 1.005 }, // number not exact at scale
      { ...ok, quarter: '2026-Q4', confidence: 'sure' }, // enum
      { ...ok, quarter: '2025-Q1', note: 'x'.repeat(21) }, // max_length
      { ...ok, quarter: '2025-Q2', category: 'unknown' }, // allowed values from a source column
      { ...ok, quarter: '2025-Q3', units: 1001 }, // integer max
      { ...ok, quarter: '2025-Q4', units: 1.5 }, // integer type
      { ...ok, quarter: '2024-Q1', start: '2019-12-31' }, // date min
      { ...ok, quarter: '2024-Q2', start: '2024-02-30' }, // invalid date
      { ...ok, quarter: '2024-Q3', due: '2024-01-01T00:00:00' }, // timestamp without zone
      { ...ok, quarter: '2024-Q4', active: 'yes' }, // boolean
      { ...ok, quarter: '2023-Q1', tier: 'bronze' }, // fixed allowed values
      { ...ok, quarter: '2023-Q2', colour: 'red' }, // unknown field
      { ...ok, quarter: '2023-Q3', _updated_by: 'mallory' }, // system field
      { account_id: 'A1', amount: '1.00' }, // key missing
      { account_id: 'ZZ', quarter: '2023-Q4', amount: '1.00' }, // linked key missing in the source
      { account_id: 'A1', quarter: '2022-Q1', amount: null }, // required null
      { account_id: 'A1', quarter: '2022-Q2' }, // required missing on a new row
      { ...ok, quarter: '2022-Q3', ratio: 'NaN' }, // number type
      'not an object',
    ];
    const r = await env.wb.inputs.write('forecast', rows, admin);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('validation_failed');
    const got = r.error.details.map((d) => [d.row, d.column]);
    expect(got).toEqual([
      [0, 'quarter'],
      [1, 'amount'],
      [2, 'amount'],
      [3, 'confidence'],
      [4, 'note'],
      [5, 'category'],
      [6, 'units'],
      [7, 'units'],
      [8, 'start'],
      [9, 'start'],
      [10, 'due'],
      [11, 'active'],
      [12, 'tier'],
      [13, 'colour'],
      [14, '_updated_by'],
      [15, 'quarter'],
      [16, 'account_id'],
      [17, 'amount'],
      [18, 'amount'],
      [19, 'ratio'],
      [20, undefined],
    ]);
    for (const d of r.error.details) expect(d.message.length).toBeGreaterThan(5);
    expect(await logCount(env, 'forecast')).toBe(0);
  });

  it('accepts exact numbers for decimals, big integers as strings, and normalizes values', async () => {
    const r = await env.wb.inputs.write('forecast', [{ ...ok, amount: 12.5, units: '999', ratio: 1e-3, due: '2026-03-01T10:00:00.5+02:00' }], admin);
    expect(r.ok).toBe(true);
    const rows = await env.wb.inputs.rows('forecast');
    expect(rows.ok && rows.rows[0]).toMatchObject({ amount: '12.50', units: 999, ratio: 0.001, due: '2026-03-01T08:00:00.500Z' });
  });

  it('rejects a duplicate key inside one batch', async () => {
    const r = await env.wb.inputs.write('forecast', [ok, ok], admin);
    expect(!r.ok && r.error.details).toEqual([{ row: 1, message: 'duplicate key in the batch (same as row 0)' }]);
  });

  it('answers not_found, bad_request and payload_too_large as values', async () => {
    const missing = await env.wb.inputs.write('nope', [ok], admin);
    expect(!missing.ok && missing.error.code).toBe('not_found');
    const scenario = await env.wb.inputs.write('notes', [{ id: 1 }], { ...admin, scenario: 'what_if' });
    expect(!scenario.ok && scenario.error.code).toBe('bad_request');
    const empty = await env.wb.inputs.write('forecast', [], admin);
    expect(!empty.ok && empty.error.code).toBe('bad_request');
    const { createWriteback } = await import('../../../src/library/writeback.js');
    const small = await createWriteback(env.project, env.adapter, { targetName: 'dev', maxBatchRows: 2 });
    const big = await small.inputs.write('forecast', [ok, ok, ok], admin);
    expect(!big.ok && big.error.code).toBe('payload_too_large');
    await small.close();
    expect(await logCount(env, 'forecast')).toBe(0);
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { logCount, setup, type TestEnv } from './fixture.js';

let env: TestEnv;
beforeEach(async () => (env = await setup()));
afterEach(async () => env.done());

const admin = { user: 'ops' };
const row = { account_id: 'A1', quarter: '2026-Q1', amount: '1.00' };

describe('timestamps are kept exactly or refused, never changed silently', () => {
  it('refuses digits beyond the millisecond with 422 at the field and writes nothing', async () => {
    const r = await env.wb.inputs.write('forecast', [{ ...row, due: '2026-01-01T00:00:00.123456Z' }], admin);
    expect(r).toEqual({
      ok: false,
      error: {
        code: 'validation_failed',
        message: '1 row(s) failed validation',
        details: [
          {
            row: 0,
            column: 'due',
            message: "'2026-01-01T00:00:00.123456Z' has more than millisecond precision; timestamps are stored to the millisecond (round it to 3 decimal places)",
          },
        ],
      },
    });
    expect(await logCount(env, 'forecast')).toBe(0);
  });

  it('accepts zeros beyond the millisecond (the same instant) and reads back what it stored', async () => {
    const r = await env.wb.inputs.write('forecast', [{ ...row, due: '2026-01-01T00:00:00.123000000Z' }], admin);
    expect(r.ok).toBe(true);
    const rows = await env.wb.inputs.rows('forecast');
    expect(rows.ok && rows.rows[0]?.due).toBe('2026-01-01T00:00:00.123Z');
    expect((await env.wb.verify()).ok).toBe(true);
  });
});

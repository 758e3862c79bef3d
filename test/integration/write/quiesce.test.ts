import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openProject } from '../../../src/index.js';
import type { Writeback } from '../../../src/library/writeback.js';
import { appliedDemoProject } from '../server/demo-project.js';

/** `quiesce` (what `apply` through a running server uses): no write runs while the tables change. */
describe('Writeback.quiesce (real DuckDB file, demo project)', () => {
  let wb: Writeback;
  beforeEach(async () => {
    wb = await openProject(await appliedDemoProject());
  });
  afterEach(async () => wb.close());

  const row = (amount: string) => [{ account_id: 'acc_001', quarter: '2026-Q4', amount }];
  const logCount = async () => Number((await wb.adapter.query('select count(*) as n from writeback.revenue_forecast__log'))[0]!.n);

  it('waits for admitted writes, holds new ones until it is done, then lets them through', async () => {
    const before = wb.inputs.write('revenue_forecast', row('1.00'), { user: 'a' });
    let arrivedDuring: Promise<unknown> | undefined;
    const seen = await wb.quiesce(async () => {
      const atStart = await logCount();
      arrivedDuring = wb.inputs.write('revenue_forecast', row('2.00'), { user: 'b' });
      // give the held write every chance to run if it were not held
      await new Promise((r) => setTimeout(r, 300));
      return [atStart, await logCount()];
    });
    expect(seen).toEqual([1, 1]);
    expect((await before).ok).toBe(true);
    const after = await arrivedDuring!;
    expect(after).toMatchObject({ ok: true });
    expect(await logCount()).toBe(2);
  });
});

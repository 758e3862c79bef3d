import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openProject } from '../../../src/library/open-project.js';
import type { Writeback } from '../../../src/library/writeback.js';
import { appliedDemoProject } from '../server/demo-project.js';
import { open, rows, VIC } from './session-harness.js';

// Attacks on SQL sessions that a client meets over time rather than in one statement.

describe('SQL sessions under attack', () => {
  let wb: Writeback;

  beforeAll(async () => {
    wb = await openProject(await appliedDemoProject());
  }, 120_000);

  afterAll(async () => {
    await wb?.close();
  });

  it('a closed session leaves nothing attached to the instance: connecting again and again does not grow the server', async () => {
    const attached = async () => (await wb.adapter.query<{ n: number }>(`select count(*)::integer as n from duckdb_databases() where database_name like 'wb_s_%'`))[0]!.n;
    const before = await attached();
    for (let i = 0; i < 3; i++) {
      const session = await open(wb, VIC);
      expect((await rows(session, 'select count(*) as n from planning.account_forecast')).rows).toHaveLength(1);
      await session.close();
    }
    expect(await attached()).toBe(before);
  });
});

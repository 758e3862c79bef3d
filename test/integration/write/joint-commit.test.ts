import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DuckDBAdapter } from '../../../src/adapters/duckdb/duckdb-adapter.js';
import { openProject } from '../../../src/index.js';
import { JointCommitter } from '../../../src/write/joint-commit.js';
import { prepareRequest } from '../../../src/write/prepare-request.js';
import { sqlNames } from '../../../src/managed/sql-names.js';
import type { Writeback } from '../../../src/library/writeback.js';
import type { WriteContext } from '../../../src/write/write-context.js';
import type { PreparedRequest } from '../../../src/write/write-request.js';
import type { WriteOptions } from '../../../src/write/types.js';
import { appliedDemoProject } from '../server/demo-project.js';

/** Requests of several tables in one transaction (what `scenario promote` uses): all written, or none. */
describe('JointCommitter (real DuckDB file, demo project)', () => {
  let wb: Writeback;
  let ctx: WriteContext;
  beforeEach(async () => {
    wb = await openProject(await appliedDemoProject());
    ctx = { project: wb.project, targetName: 'dev', names: sqlNames(wb.project, 'dev', wb.adapter.dialect), reader: wb.adapter, maxBatchRows: 1000 };
  });
  afterEach(async () => wb.close());

  const prepare = async (table: string, rows: unknown[], opts: WriteOptions = { user: 'fin' }): Promise<PreparedRequest> => {
    const req = await prepareRequest(ctx, 'upsert', table, rows, opts);
    if (!('input' in req)) throw new Error(JSON.stringify(req));
    return req;
  };
  const logCount = async (table: string) => Number((await wb.adapter.query(`select count(*) as n from writeback.${table}__log`))[0]!.n);

  it('commits two tables in one transaction, each with its own intact chain', async () => {
    const joint = new JointCommitter(await (wb.adapter as DuckDBAdapter).fork(), () => ctx.names);
    const out = await joint.commit([
      await prepare('revenue_forecast', [{ account_id: 'acc_001', quarter: '2026-Q4', amount: '10.00' }]),
      await prepare('account_category', [{ account_id: 'acc_001', category: 'growth', reason: 'moved' }]),
    ]);
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    expect(out.results.map((r) => r.ok && r.at)).toEqual([out.results[0]!.ok && out.results[0]!.at, out.results[0]!.ok && out.results[0]!.at]);
    expect([await logCount('revenue_forecast'), await logCount('account_category')]).toEqual([1, 1]);
    expect((await wb.verify()).problems).toEqual([]);
  });

  it('one refused request rolls every table back and names it', async () => {
    const joint = new JointCommitter(await (wb.adapter as DuckDBAdapter).fork(), () => ctx.names);
    const out = await joint.commit([
      await prepare('revenue_forecast', [{ account_id: 'acc_001', quarter: '2026-Q4', amount: '10.00' }]),
      // decided inside the transaction: the row does not exist at version 3
      await prepare('account_category', [{ account_id: 'acc_001', category: 'growth', _version: 3 }]),
    ]);
    expect(out.ok || [out.index, out.result.error.code]).toEqual([1, 'conflict']);
    expect([await logCount('revenue_forecast'), await logCount('account_category')]).toEqual([0, 0]);
    // the table writers carry on from the untouched chains
    expect((await wb.inputs.write('revenue_forecast', [{ account_id: 'acc_001', quarter: '2026-Q4', amount: '11.00' }], { user: 'fin' })).ok).toBe(true);
    expect((await wb.verify()).problems).toEqual([]);
  });
});

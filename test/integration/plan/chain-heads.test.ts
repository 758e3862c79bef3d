import { describe, expect, it } from 'vitest';
import type { DuckDBAdapter } from '../../../src/adapters/duckdb/duckdb-adapter.js';
import { createWriteback } from '../../../src/library/index.js';
import type { Project } from '../../../src/ir/types.js';
import { cleanUpAfterEach, forecastInput, kinds, makeProject, open, plan, planAndApply } from './fixture.js';

// Each input's chain head is its own one-row table `<t>__head`, created by apply — never by a
// writer — so two first writers cannot fork a chain and writers of different inputs never share a
// head. Projects applied by earlier versions had one shared `_wb_chain_heads`: apply migrates them.

let project: Project;
let adapter: DuckDBAdapter | undefined;
cleanUpAfterEach();

const write = async (a: DuckDBAdapter, rows: Record<string, unknown>[]) => {
  const wb = await createWriteback(project, a, { targetName: 'dev' });
  try {
    const r = await wb.inputs.write('forecast', rows, { user: 'ann' });
    expect(r.ok).toBe(true);
    return await wb.verify();
  } finally {
    await wb.close();
  }
};

describe('chain heads', () => {
  it('an input applied with the shared chain-head table gets its own head from its log, the shared table is dropped, and the chain goes on unbroken', async () => {
    project = makeProject();
    adapter = await open(project);
    await planAndApply(project, adapter);
    await write(adapter, [{ account_id: '007', amount: '1.50' }, { account_id: '008', amount: '2.00' }]);
    await write(adapter, [{ account_id: '007', amount: '3.25' }]);
    const [last] = await adapter.query<{ seq: number; hash: string }>('select _seq as seq, _hash as hash from writeback.forecast__log order by _seq desc limit 1');
    // the warehouse as an earlier version left it: one shared table, no `<t>__head`
    await adapter.execute('drop table writeback.forecast__head');
    await adapter.execute('create table writeback._wb_chain_heads (table_name varchar not null, seq bigint not null, head varchar not null, updated_at timestamp not null, primary key (table_name))');
    await adapter.execute(`insert into writeback._wb_chain_heads values ('forecast__log', $1, $2, now())`, [last!.seq, last!.hash]);

    const upgrade = await plan(project, adapter);
    expect(upgrade.operations.map((o) => o.description)).toEqual([
      'create chain head writeback.forecast__head (from the last entry of writeback.forecast__log)',
      'drop writeback._wb_chain_heads (each input table has its own chain head now)',
    ]);
    await planAndApply(project, adapter);
    expect(await adapter.query('select seq, head from writeback.forecast__head')).toEqual([{ seq: last!.seq, head: last!.hash }]);
    expect((await adapter.describeSchemas(['writeback'])).map((t) => t.name)).not.toContain('_wb_chain_heads');
    expect((await plan(project, adapter)).operations).toEqual([]);

    const report = await write(adapter, [{ account_id: '009', amount: '4.00' }]);
    expect(report.problems).toEqual([]);
    expect(report.tables.find((t) => t.table === 'forecast')).toEqual({ table: 'forecast', entries: 4, stateRows: 3 });
  });

  it('an input removed and declared again starts a new chain (its old head goes with the archived log)', async () => {
    project = makeProject();
    adapter = await open(project);
    await planAndApply(project, adapter);
    await write(adapter, [{ account_id: '007', amount: '1.50' }]);
    const { forecast } = project.inputs;
    project.inputs = {};
    project.models = [];
    await planAndApply(project, adapter, true, new Date('2026-11-30T01:02:03Z'));
    expect((await adapter.describeSchemas(['writeback'])).map((t) => t.name)).not.toContain('forecast__head');

    project.inputs = { forecast: forecast ?? forecastInput() };
    expect(kinds(await plan(project, adapter))).toEqual(['create-input-tables', 'create-chain-head', 'create-managed-view']);
    await planAndApply(project, adapter);
    expect(await adapter.query('select seq, head from writeback.forecast__head')).toEqual([{ seq: 0, head: '' }]);
    const report = await write(adapter, [{ account_id: '008', amount: '2.00' }]);
    expect(report.problems).toEqual([]);
    expect(report.tables.find((t) => t.table === 'forecast')).toEqual({ table: 'forecast', entries: 1, stateRows: 1 });
  });

  it('a head changed outside writeback stops the writer with what to run, and verify names it', async () => {
    project = makeProject();
    adapter = await open(project);
    await planAndApply(project, adapter);
    await adapter.execute("insert into writeback.forecast__head values (0, '', now())");
    const wb = await createWriteback(project, adapter, { targetName: 'dev' });
    try {
      await expect(wb.inputs.write('forecast', [{ account_id: '007', amount: '1.00' }], { user: 'ann' })).rejects.toThrow(
        /forecast__head" has 2 rows instead of one: the chain head was changed outside writeback; run `writeback verify`/,
      );
      const report = await wb.verify();
      expect(report.problems).toEqual([expect.objectContaining({ table: 'forecast', kind: 'chain-head-mismatch', message: expect.stringContaining('(2 rows)') })]);
      expect(await adapter.query('select count(*) as n from writeback.forecast__log')).toEqual([{ n: 0 }]);
    } finally {
      await wb.close();
    }
  });
});

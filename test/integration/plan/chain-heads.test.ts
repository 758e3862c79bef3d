import { describe, expect, it } from 'vitest';
import type { DuckDBAdapter } from '../../../src/adapters/duckdb/duckdb-adapter.js';
import { createWriteback } from '../../../src/library/index.js';
import type { Project } from '../../../src/ir/types.js';
import { cleanUpAfterEach, forecastInput, kinds, makeProject, open, plan, planAndApply } from './fixture.js';

// Each input's chain head is created by apply — never by a writer — so two first writers cannot
// fork a chain. On DuckDB every head is a row of one table `_wb_heads` keyed by the input (other
// warehouses keep a one-row `<t>__head` per input). Warehouses applied by earlier versions are
// migrated by apply: from one `<t>__head` per input, and from the oldest layout, one shared
// `_wb_chain_heads` keyed by the log's name.

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

const heads = (a: DuckDBAdapter) => a.query('select table_name, seq, head from writeback._wb_heads order by table_name');
const lastEntry = async (a: DuckDBAdapter) =>
  (await a.query<{ seq: number; hash: string }>('select _seq as seq, _hash as hash from writeback.forecast__log order by _seq desc limit 1'))[0]!;
const tableNames = async (a: DuckDBAdapter) => (await a.describeSchemas(['writeback'])).map((t) => t.name);

/** A project applied, and 3 entries of 2 keys written: the last entry (its `_seq` and `_hash`). */
async function appliedWithEntries(): Promise<{ a: DuckDBAdapter; last: { seq: number; hash: string } }> {
  project = makeProject();
  const a = await open(project);
  await planAndApply(project, a);
  await write(a, [{ account_id: '007', amount: '1.50' }, { account_id: '008', amount: '2.00' }]);
  await write(a, [{ account_id: '007', amount: '3.25' }]);
  return { a, last: await lastEntry(a) };
}

/** The warehouse as the version with one `<t>__head` per input left it: forecast's own head table, holding (seq, head). */
async function earlierOwnHead(a: DuckDBAdapter, seq: number, head: string, at = 'now()'): Promise<void> {
  await a.execute('create table writeback.forecast__head (seq bigint not null, head varchar not null, updated_at timestamp not null)');
  await a.execute(`insert into writeback.forecast__head values ($1, $2, ${at})`, [seq, head]);
}

/**
 * Apply the migration: forecast's head is the log's last entry and `gone` is dropped; `also` checks
 * more before the chain goes on (see expectChainGoesOn), which moves the head again.
 */
async function expectMigrated(a: DuckDBAdapter, last: { seq: number; hash: string }, gone: string, also?: () => Promise<void>): Promise<void> {
  await planAndApply(project, a);
  expect(await heads(a)).toEqual([{ table_name: 'forecast', seq: last.seq, head: last.hash }]);
  expect(await tableNames(a)).not.toContain(gone);
  await also?.();
  await expectChainGoesOn(a);
}

/** After a migration: nothing more to plan, and a write continues the chain of 3 entries (2 keys) that verify finds intact. */
async function expectChainGoesOn(a: DuckDBAdapter): Promise<void> {
  expect((await plan(project, a)).operations).toEqual([]);
  const report = await write(a, [{ account_id: '009', amount: '4.00' }]);
  expect(report.problems).toEqual([]);
  expect(report.tables.find((t) => t.table === 'forecast')).toEqual({ table: 'forecast', entries: 4, stateRows: 3 });
}

describe('chain heads', () => {
  it("an input applied by the version with one `<t>__head` per input: its head moves into _wb_heads as it was, the table goes, and the chain goes on unbroken", async () => {
    const { a, last } = await appliedWithEntries();
    // the warehouse as that version left it
    await earlierOwnHead(a, last.seq, last.hash, "timestamp '2026-11-01 10:00:00'");
    await a.execute('drop table writeback._wb_heads');

    const upgrade = await plan(project, a);
    expect(upgrade.operations.map((o) => o.description)).toEqual([
      'create table writeback._wb_heads',
      'create the chain head of forecast in writeback._wb_heads (moved from writeback.forecast__head)',
    ]);
    // moved as it was, its time included
    await expectMigrated(a, last, 'forecast__head', async () =>
      expect(await a.query('select updated_at from writeback._wb_heads')).toEqual([{ updated_at: new Date('2026-11-01T10:00:00Z') }]),
    );
  });

  it('a row of _wb_heads and a `<t>__head` both (an earlier version applied after this one): the log decides, and the table goes', async () => {
    const { a, last } = await appliedWithEntries();
    // the earlier version's apply created its own head from the log, and its writers moved it on; the row here went stale
    await earlierOwnHead(a, last.seq, last.hash);
    await a.execute("update writeback._wb_heads set seq = 1, head = 'stale'");
    expect((await plan(project, a)).operations.map((o) => o.description)).toEqual([
      'create the chain head of forecast in writeback._wb_heads (from the last entry of writeback.forecast__log, replacing its row; drop writeback.forecast__head, left by an earlier version)',
    ]);
    await expectMigrated(a, last, 'forecast__head');
  });

  it('a `<t>__head` that disagrees with its log moves as it is: verify still names it', async () => {
    project = makeProject();
    adapter = await open(project);
    await planAndApply(project, adapter);
    await write(adapter, [{ account_id: '007', amount: '1.50' }, { account_id: '008', amount: '2.00' }]);
    await earlierOwnHead(adapter, 1, 'not-the-hash');
    await adapter.execute('delete from writeback._wb_heads');
    await planAndApply(project, adapter);
    expect(await heads(adapter)).toEqual([{ table_name: 'forecast', seq: 1, head: 'not-the-hash' }]);
    const wb = await createWriteback(project, adapter, { targetName: 'dev' });
    try {
      expect((await wb.verify()).problems).toEqual([
        expect.objectContaining({ table: 'forecast', kind: 'chain-head-mismatch', message: expect.stringContaining('(seq 1) does not match the last log entry (seq 2)') }),
      ]);
    } finally {
      await wb.close();
    }
  });

  it('an input applied with the oldest layout (one `_wb_chain_heads`) gets its head from its log, that table is dropped, and the chain goes on unbroken', async () => {
    const { a, last } = await appliedWithEntries();
    // the warehouse as the oldest version left it: one shared table keyed by the log's name
    await a.execute('drop table writeback._wb_heads');
    await a.execute('create table writeback._wb_chain_heads (table_name varchar not null, seq bigint not null, head varchar not null, updated_at timestamp not null, primary key (table_name))');
    await a.execute(`insert into writeback._wb_chain_heads values ('forecast__log', $1, $2, now())`, [last.seq, last.hash]);

    const upgrade = await plan(project, a);
    expect(upgrade.operations.map((o) => o.description)).toEqual([
      'create table writeback._wb_heads',
      'create the chain head of forecast in writeback._wb_heads (from the last entry of writeback.forecast__log)',
      'drop writeback._wb_chain_heads (its heads were recreated from the logs: rows of _wb_heads)',
    ]);
    await expectMigrated(a, last, '_wb_chain_heads');
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
    expect(await heads(adapter)).toEqual([]);

    project.inputs = { forecast: forecast ?? forecastInput() };
    expect(kinds(await plan(project, adapter))).toEqual(['create-input-tables', 'create-chain-head', 'create-managed-view']);
    await planAndApply(project, adapter);
    expect(await heads(adapter)).toEqual([{ table_name: 'forecast', seq: 0, head: '' }]);
    const report = await write(adapter, [{ account_id: '008', amount: '2.00' }]);
    expect(report.problems).toEqual([]);
    expect(report.tables.find((t) => t.table === 'forecast')).toEqual({ table: 'forecast', entries: 1, stateRows: 1 });
  });

  it("a new input whose name left a head behind replaces it (0, ''), in one apply with the other new inputs' heads", async () => {
    project = makeProject();
    adapter = await open(project);
    await planAndApply(project, adapter);
    // a row left by an input of the same name whose tables went outside writeback
    await adapter.execute('drop table writeback.forecast');
    await adapter.execute('drop table writeback.forecast__log cascade');
    await adapter.execute("update writeback._wb_heads set seq = 5, head = 'old'");
    const p = await plan(project, adapter);
    const head = p.operations.find((o) => o.kind === 'create-chain-head');
    expect(head).toMatchObject({ replace: true, newLog: true });
    await planAndApply(project, adapter);
    expect(await heads(adapter)).toEqual([{ table_name: 'forecast', seq: 0, head: '' }]);
    const report = await write(adapter, [{ account_id: '008', amount: '2.00' }]);
    expect(report.problems).toEqual([]);
  });

  it('a head removed outside writeback stops the writer with what to run, verify names it, and apply puts it back from the log', async () => {
    project = makeProject();
    adapter = await open(project);
    await planAndApply(project, adapter);
    await write(adapter, [{ account_id: '007', amount: '1.00' }]);
    await adapter.execute('delete from writeback._wb_heads');
    let wb = await createWriteback(project, adapter, { targetName: 'dev' });
    try {
      await expect(wb.inputs.write('forecast', [{ account_id: '008', amount: '1.00' }], { user: 'ann' })).rejects.toThrow(
        /the chain head of forecast \("writeback"\."_wb_heads"\) is missing: run `writeback apply`/,
      );
      const report = await wb.verify();
      expect(report.problems).toEqual([expect.objectContaining({ table: 'forecast', kind: 'chain-head-mismatch', message: expect.stringContaining('(missing)') })]);
      expect(await adapter.query('select count(*) as n from writeback.forecast__log')).toEqual([{ n: 1 }]);
    } finally {
      await wb.close();
    }
    await planAndApply(project, adapter);
    wb = await createWriteback(project, adapter, { targetName: 'dev' });
    try {
      expect((await wb.inputs.write('forecast', [{ account_id: '008', amount: '1.00' }], { user: 'ann' })).ok).toBe(true);
      expect((await wb.verify()).problems).toEqual([]);
    } finally {
      await wb.close();
    }
  });
});

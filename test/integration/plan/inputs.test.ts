import { describe, expect, it } from 'vitest';
import type { DuckDBAdapter } from '../../../src/adapters/duckdb/duckdb-adapter.js';
import { metaTablesOf } from '../../../src/managed/meta-tables.js';
import { stateKeySql } from '../../../src/managed/tables.js';
import { planProject } from '../../../src/plan/plan-project.js';
import type { Project } from '../../../src/ir/types.js';
import { accountPlan, cleanUpAfterEach, column, defaultForecastColumns, forecastInput, kinds, makeProject, open, plan, planAndApply } from './fixture.js';

let project: Project;
let adapter: DuckDBAdapter | undefined;
cleanUpAfterEach();

/** Two written rows, inserted straight into log and state (as the write path would leave them). */
async function insertRows(a: DuckDBAdapter): Promise<void> {
  for (const [i, [id, amount, note]] of [['007', '10.50', 'first'], ['008', '20.00', 'second']].entries()) {
    await a.execute(
      `insert into writeback.forecast__log (_entry_id, _seq, _op, _scenario, _version, _user, _at, _hash, account_id, amount, note)
       values ($1, $2, 'upsert', 'base', 1, 'ann', now(), $3, $4, $5, $6)`,
      [`e${i}`, i + 1, `h${i}`, id!, amount!, note!],
    );
    await a.execute(
      `insert into writeback.forecast (account_id, amount, note, _scenario, _version, _deleted, _updated_by, _updated_at, _entry_id, _key)
       values ($1, $2, $3, 'base', 1, false, 'ann', now(), $4, ${stateKeySql(a.dialect, ["'base'", '$1'])})`,
      [id!, amount!, note!, `e${i}`],
    );
  }
}

const columnNames = async (a: DuckDBAdapter, table: string) =>
  (await a.describeSchemas(['writeback'])).find((t) => t.name === table)?.columns.map((c) => c.name) ?? [];

const planResult = (a: DuckDBAdapter, allowDestructive = false) =>
  planProject(project, { targetName: 'dev', adapter: a, user: 'tester', allowDestructive });

describe('input table changes', () => {
  it('a column added to an input is added to log and state; every existing row is kept', async () => {
    project = makeProject();
    adapter = await open(project);
    await planAndApply(project, adapter);
    await insertRows(adapter);
    project.inputs.forecast = forecastInput([...defaultForecastColumns(), column('owner', { kind: 'string' })]);
    const p = await plan(project, adapter);
    // the enrich model reads only the columns it names, so its SQL and its version stay
    expect(p.operations.map((o) => o.description)).toEqual([
      'add column owner to writeback.forecast__log and writeback.forecast (existing rows keep their values)',
      'create view planning.forecast__history (who changed what in forecast, one row per changed column)',
    ]);
    await planAndApply(project, adapter);
    expect(await adapter.query('select account_id, amount, note, owner from writeback.forecast order by account_id')).toEqual([
      { account_id: '007', amount: '10.50', note: 'first', owner: null },
      { account_id: '008', amount: '20.00', note: 'second', owner: null },
    ]);
    expect(await adapter.query('select count(*) as n, count(owner) as owners from writeback.forecast__log')).toEqual([{ n: 2, owners: 0 }]);
    // the model version keeps reading exactly what it read before
    expect(await adapter.query('select id, amount from planning.account_plan__v1 order by id')).toEqual([
      { id: '007', amount: '10.50' },
      { id: '008', amount: '20.00' },
      { id: '009', amount: null },
    ]);
    expect((await plan(project, adapter)).operations).toEqual([]);

    // a model that starts reading the new column gets a new version
    project.models = [accountPlan(['amount', 'owner']), ...project.models.slice(1)];
    expect(kinds(await plan(project, adapter))).toEqual(['create-model-version', 'point-model-alias', 'create-model-version', 'point-model-alias']);
  });

  it('removing a column is refused without allowDestructive; with it the state drops it and the log keeps its data', async () => {
    project = makeProject();
    project.models = [accountPlan(['amount', 'note']), ...project.models.slice(1)];
    adapter = await open(project);
    await planAndApply(project, adapter);
    await insertRows(adapter);
    project.inputs.forecast = forecastInput(defaultForecastColumns().filter((c) => c.name !== 'note'));
    project.models = [accountPlan(['amount']), ...project.models.slice(1)];

    const refused = await planResult(adapter);
    expect(refused.ok).toBe(false);
    if (!refused.ok) {
      expect(refused.diagnostics.map((d) => d.code)).toEqual(['destructive-change-refused']);
      expect(refused.diagnostics[0]!.message).toContain("column 'note' was removed");
      expect(refused.diagnostics[0]!.loc?.file).toBe('inputs/forecast.yml');
    }
    expect(await columnNames(adapter, 'forecast')).toContain('note');

    const allowed = await planResult(adapter, true);
    expect(allowed.ok && allowed.warnings.map((w) => w.message)).toEqual([
      'planning.account_plan__v1 reads note of writeback.forecast; it will fail once dropped (`writeback prune` removes old versions)',
    ]);
    const p = await plan(project, adapter, true);
    expect(kinds(p)).toEqual(['drop-input-column', 'create-model-version', 'point-model-alias', 'create-model-version', 'point-model-alias', 'create-managed-view']);
    expect(p.operations[0]!.destructive).toBe(true);
    await planAndApply(project, adapter, true);
    expect(await columnNames(adapter, 'forecast')).not.toContain('note');
    expect(await adapter.query('select account_id, amount, _version from writeback.forecast order by account_id')).toEqual([
      { account_id: '007', amount: '10.50', _version: 1 },
      { account_id: '008', amount: '20.00', _version: 1 },
    ]);
    expect(await adapter.query('select note from writeback.forecast__log order by _seq')).toEqual([{ note: 'first' }, { note: 'second' }]);
    expect((await plan(project, adapter)).operations).toEqual([]);

    // adding it back re-adds it to the state only (the log still has it, with its history)
    project.inputs.forecast = forecastInput(defaultForecastColumns());
    const back = await plan(project, adapter);
    const add = back.operations[0];
    expect(add?.kind === 'add-input-column' && add.tables.map((t) => t.name)).toEqual(['forecast']);
  });

  it('removing an input is refused without allowDestructive; with it the log is archived with every entry', async () => {
    project = makeProject();
    adapter = await open(project);
    await planAndApply(project, adapter);
    await insertRows(adapter);
    project.inputs = {};
    project.models = [];

    const refused = await planResult(adapter);
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.diagnostics.map((d) => d.code)).toEqual(['destructive-change-refused']);

    const now = new Date('2026-11-30T01:02:03Z');
    const p = await plan(project, adapter, true, now);
    expect(p.operations.map((o) => o.description)).toEqual([
      'archive input table forecast: rename writeback.forecast__log to forecast__log__archived_20261130_010203, drop writeback.forecast, delete its chain head from writeback._wb_heads, ' +
        'drop planning.account_plan__v1, planning.region_totals__v1, planning.account_plan, planning.region_totals, planning.forecast__history (DESTRUCTIVE; the log keeps every entry)',
    ]);
    await planAndApply(project, adapter, true, now);
    const names = (await adapter.describeSchemas(['writeback', 'planning'])).map((t) => t.name).sort();
    expect(names).toEqual([...metaTablesOf(adapter.dialect).map((m) => m.name), 'forecast__log__archived_20261130_010203'].sort());
    expect(await adapter.query('select count(*) as n from writeback._wb_heads')).toEqual([{ n: 0 }]);
    expect(await adapter.query('select account_id, note from writeback.forecast__log__archived_20261130_010203 order by _seq')).toEqual([
      { account_id: '007', note: 'first' },
      { account_id: '008', note: 'second' },
    ]);
    expect((await plan(project, adapter)).operations).toEqual([]);
  });

  it('an input removed while its model moves on keeps the current model working', async () => {
    project = makeProject();
    adapter = await open(project);
    await planAndApply(project, adapter);
    project.inputs = { other: { ...forecastInput(), name: 'other' } };
    const m = accountPlan();
    project.models = [{ ...m, body: { kind: 'enrich', from: { kind: 'source', source: 'crm', table: 'accounts' }, joins: [{ input: 'other', on: { account_id: 'id' }, columns: ['amount'] }] } }];
    const p = await plan(project, adapter, true);
    expect(kinds(p)).toEqual(['create-input-tables', 'create-chain-head', 'archive-input-table', 'create-model-version', 'point-model-alias', 'create-managed-view']);
    await planAndApply(project, adapter, true);
    expect(await adapter.query('select count(*) as n from planning.account_plan')).toEqual([{ n: 3 }]);
    expect((await plan(project, adapter)).operations).toEqual([]);
  });

  it('a column type change is refused with a clear message', async () => {
    project = makeProject();
    adapter = await open(project);
    await planAndApply(project, adapter);
    project.inputs.forecast = forecastInput(defaultForecastColumns().map((c) => (c.name === 'amount' ? column('amount', { kind: 'integer' }) : c)));
    for (const allowDestructive of [false, true]) {
      const r = await planResult(adapter, allowDestructive);
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.diagnostics.map((d) => d.code)).toEqual(['column-type-change', 'column-type-change']);
        expect(r.diagnostics[0]!.message).toBe(
          "input table 'forecast': column 'amount' is DECIMAL(18,2) in writeback.forecast__log but is declared as BIGINT; changing a column's type is not supported",
        );
      }
    }
  });
});

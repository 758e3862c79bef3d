import { describe, expect, it } from 'vitest';
import type { DuckDBAdapter } from '../../../src/adapters/duckdb/duckdb-adapter.js';
import { listVersions, pruneVersions } from '../../../src/plan/versions.js';
import type { Project } from '../../../src/ir/types.js';
import { accountPlan, cleanUpAfterEach, kinds, makeProject, open, plan, planAndApply } from './fixture.js';

let project: Project;
let adapter: DuckDBAdapter | undefined;
cleanUpAfterEach();

const columnsOf = async (a: DuckDBAdapter, view: string) => Object.keys((await a.query(`select * from planning.${view} limit 1`))[0] ?? {});

describe('model versions', () => {
  it('list and prune on a warehouse that was never applied return nothing', async () => {
    project = makeProject();
    adapter = await open(project);
    expect(await listVersions(adapter, project)).toEqual([]);
    expect(await pruneVersions(adapter, project, { keep: 1 })).toEqual([]);
  });

  it('a model change yields __v2; __v1 keeps its old columns, the alias returns the new ones', async () => {
    project = makeProject();
    adapter = await open(project);
    await planAndApply(project, adapter);
    project.models[0] = accountPlan(['amount', 'note']);
    const second = await plan(project, adapter);
    expect(second.operations.map((o) => o.description)).toEqual([
      'create view planning.account_plan__v2 (model account_plan, version 2)',
      'point view planning.account_plan at account_plan__v2 (was account_plan__v1)',
      'create view planning.region_totals__v2 (model region_totals, version 2)',
      'point view planning.region_totals at region_totals__v2 (was region_totals__v1)',
    ]);
    await planAndApply(project, adapter);
    expect(await columnsOf(adapter, 'account_plan__v1')).toEqual(['id', 'name', 'region', 'amount']);
    expect(await columnsOf(adapter, 'account_plan__v2')).toEqual(['id', 'name', 'region', 'amount', 'note']);
    expect(await columnsOf(adapter, 'account_plan')).toEqual(['id', 'name', 'region', 'amount', 'note']);
    expect((await plan(project, adapter)).operations).toEqual([]);

    const versions = await listVersions(adapter, project, 'account_plan');
    expect(versions.map((v) => [v.version, v.latest, v.exists, v.appliedBy])).toEqual([
      [1, false, true, 'tester'],
      [2, true, true, 'tester'],
    ]);
    expect(versions[0]!.view).toEqual({ schema: 'planning', name: 'account_plan__v1' });
    expect((await listVersions(adapter, project)).length).toBe(4);
  });

  it('reverting a model re-points the alias at the registered version without a new one', async () => {
    project = makeProject();
    adapter = await open(project);
    await planAndApply(project, adapter);
    project.models[0] = accountPlan(['amount', 'note']);
    await planAndApply(project, adapter);
    project.models[0] = accountPlan(['amount']);
    const back = await plan(project, adapter);
    expect(kinds(back)).toEqual(['point-model-alias', 'point-model-alias']);
    expect(back.operations.map((o) => (o.kind === 'point-model-alias' ? o.target.name : ''))).toEqual(['account_plan__v1', 'region_totals__v1']);
    await planAndApply(project, adapter);
    expect(await columnsOf(adapter, 'account_plan')).toEqual(['id', 'name', 'region', 'amount']);
    expect((await plan(project, adapter)).operations).toEqual([]);
  });

  it('prune keeps the newest N and the alias target, never what a kept version reads', async () => {
    project = makeProject();
    adapter = await open(project);
    await planAndApply(project, adapter);
    project.models[0] = accountPlan(['amount', 'note']);
    await planAndApply(project, adapter);
    project.models[0] = accountPlan(['note']);
    await planAndApply(project, adapter);
    // region_totals has not changed its text, but each account_plan version gave it a new version too
    const dry = await pruneVersions(adapter, project, { keep: 1, dryRun: true });
    expect(dry.map((d) => d.view.name).sort()).toEqual(['account_plan__v1', 'account_plan__v2', 'region_totals__v1', 'region_totals__v2']);
    expect(await columnsOf(adapter, 'account_plan__v1')).toEqual(['id', 'name', 'region', 'amount']);

    const dropped = await pruneVersions(adapter, project, { keep: 2 });
    expect(dropped.map((d) => `${d.model}@${d.version}`).sort()).toEqual(['account_plan@1', 'region_totals@1']);
    const views = (await adapter.describeSchemas(['planning'])).map((t) => t.name).sort();
    expect(views).toEqual(['account_plan', 'account_plan__v2', 'account_plan__v3', 'forecast__history', 'region_totals', 'region_totals__v2', 'region_totals__v3']);
    const listed = await listVersions(adapter, project, 'account_plan');
    expect(listed.map((v) => [v.version, v.exists, v.latest])).toEqual([
      [1, false, false],
      [2, true, false],
      [3, true, true],
    ]);
    expect((await adapter.query('select count(*) as n from planning.region_totals'))[0]).toEqual({ n: 2 });
    // pruned versions stay pruned: nothing in the project needs them
    expect((await plan(project, adapter)).operations).toEqual([]);
  });

  it('prune never drops the alias target even when it is old, nor an upstream version it reads', async () => {
    project = makeProject();
    adapter = await open(project);
    await planAndApply(project, adapter);
    project.models[0] = accountPlan(['amount', 'note']);
    await planAndApply(project, adapter);
    project.models[0] = accountPlan(['amount']);
    await planAndApply(project, adapter); // aliases back on v1
    const dropped = await pruneVersions(adapter, project, { keep: 1 });
    expect(dropped).toEqual([]);
    expect(await adapter.query('select count(*) as n from planning.region_totals')).toEqual([{ n: 2 }]);
  });

  it('prune keeps an old upstream version that a kept version of another model still reads', async () => {
    project = makeProject();
    adapter = await open(project);
    await planAndApply(project, adapter);
    project.models = [accountPlan(['amount', 'note'])]; // region_totals leaves the project; its views stay
    await planAndApply(project, adapter);
    project.models = [accountPlan(['note'])];
    await planAndApply(project, adapter);
    const dropped = await pruneVersions(adapter, project, { keep: 1 });
    expect(dropped.map((d) => d.view.name)).toEqual(['account_plan__v2']);
    expect(await adapter.query('select count(*) as n from planning.region_totals')).toEqual([{ n: 2 }]);
  });
});

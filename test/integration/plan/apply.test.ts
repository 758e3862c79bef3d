import { describe, expect, it } from 'vitest';
import type { DuckDBAdapter } from '../../../src/adapters/duckdb/duckdb-adapter.js';
import { applyPlan } from '../../../src/apply/apply-plan.js';
import { metaTablesOf } from '../../../src/managed/meta-tables.js';
import type { Project } from '../../../src/ir/types.js';
import { cleanUpAfterEach, kinds, makeProject, open, plan, planAndApply } from './fixture.js';

let project: Project;
let adapter: DuckDBAdapter | undefined;
cleanUpAfterEach();

describe('plan + apply on DuckDB', () => {
  it('creates schemas, managed tables, the seed, versioned views and aliases; a second plan is empty', async () => {
    project = makeProject();
    adapter = await open(project);
    const first = await plan(project, adapter);
    expect(kinds(first)).toEqual([
      'create-schema', 'create-schema', 'create-schema',
      ...metaTablesOf(adapter.dialect).map(() => 'create-meta-table'),
      'create-input-tables', 'create-chain-head',
      'load-seed',
      'create-model-version', 'point-model-alias',
      'create-model-version', 'point-model-alias',
      'create-managed-view',
    ]);
    expect(JSON.parse(JSON.stringify(first))).toEqual(first);
    const progress: number[] = [];
    const applied = await applyPlan(first, adapter, { onProgress: (done) => progress.push(done) });
    expect(applied.ok).toBe(true);
    expect(progress).toEqual(first.operations.map((_, i) => i + 1));

    const tables = await adapter.describeSchemas(['writeback', 'planning', 'crm']);
    expect(tables.map((t) => `${t.schema}.${t.name}:${t.kind}`).sort()).toEqual([
      'crm.accounts:table',
      'planning.account_plan:view',
      'planning.account_plan__v1:view',
      'planning.forecast__history:view',
      'planning.region_totals:view',
      'planning.region_totals__v1:view',
      ...metaTablesOf(adapter.dialect).map((m) => `writeback.${m.name}:table`),
      'writeback.forecast:table',
      'writeback.forecast__log:table',
    ].sort());
    // the chain head exists before the first write: one row (of DuckDB's shared table), seq 0, no hash yet
    expect(await adapter.query('select table_name, seq, head from writeback._wb_heads')).toEqual([{ table_name: 'forecast', seq: 0, head: '' }]);
    const rows = await adapter.query('select id, name, amount from planning.account_plan order by id');
    expect(rows).toEqual([
      { id: '007', name: 'Northwind', amount: null },
      { id: '008', name: 'Helios', amount: null },
      { id: '009', name: 'Kestrel', amount: null },
    ]);
    const registry = await adapter.query('select model, version, applied_by from writeback._wb_model_versions order by model');
    expect(registry).toEqual([
      { model: 'account_plan', version: 1, applied_by: 'tester' },
      { model: 'region_totals', version: 1, applied_by: 'tester' },
    ]);

    expect((await plan(project, adapter)).operations).toEqual([]);
  });

  it('a failed apply changes nothing (one transaction)', async () => {
    project = makeProject();
    project.seeds[0]!.columnTypes = { no_such_column: { kind: 'string' } };
    adapter = await open(project);
    const p = await plan(project, adapter);
    const applied = await applyPlan(p, adapter);
    expect(applied.ok).toBe(false);
    if (!applied.ok) {
      expect(applied.diagnostics[0]!.code).toBe('apply-failed');
      expect(applied.diagnostics[0]!.message).toContain('seeds/accounts.csv');
    }
    expect(await adapter.describeSchemas(['writeback', 'planning', 'crm'])).toEqual([]);
  });

  it('refs inside a model are pinned to the upstream version', async () => {
    project = makeProject();
    adapter = await open(project);
    const first = await planAndApply(project, adapter);
    const version = first.operations.find((o) => o.kind === 'create-model-version' && o.model === 'region_totals');
    expect(version?.kind === 'create-model-version' && version.sql).toContain('"planning"."account_plan__v1"');
  });

  it('adds a column that a newer writeback declares for an existing _wb_ table', async () => {
    project = makeProject();
    adapter = await open(project);
    await planAndApply(project, adapter);
    await adapter.execute('alter table writeback._wb_seeds drop column loaded_at');
    const p = await plan(project, adapter);
    expect(p.operations.map((o) => o.description)).toEqual(['add column loaded_at to writeback._wb_seeds']);
    await planAndApply(project, adapter);
    expect((await plan(project, adapter)).operations).toEqual([]);
  });
});

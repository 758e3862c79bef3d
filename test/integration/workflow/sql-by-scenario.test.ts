import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBAdapter } from '../../../src/adapters/duckdb/duckdb-adapter.js';
import { applyPlan } from '../../../src/apply/apply-plan.js';
import { duckdbDialect } from '../../../src/dialects/duckdb/duckdb-dialect.js';
import { planProject, type Plan } from '../../../src/plan/plan-project.js';
import { loadProject } from '../../../src/project/load-project.js';
import type { Project } from '../../../src/ir/types.js';
import { writeSnapshot } from '../../../src/snapshot/write-snapshot.js';
import { openProject } from '../../../src/library/open-project.js';
import type { Writeback } from '../../../src/library/writeback.js';
import { REGION_TOTALS, writeScenarioProject, writeScenarios } from './sql-by-scenario-project.js';

// `kind: sql` models that read a scenario input (directly, through a SQL model, through an enrich
// model) get `<model>__by_scenario` on DuckDB: one row per scenario and model row, `_scenario` first.

let dir = '';
let project: Project;
let adapter: DuckDBAdapter;
let wb: Writeback;
let firstPlan: Plan;

const plan = async (p: Project = project): Promise<Plan> => {
  const r = await planProject(p, { targetName: 'dev', adapter, user: 'tester' });
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
  return r.value;
};
const query = (sql: string) => adapter.query<Record<string, unknown>>(sql);
const byScenario = async (model: string, scenario: string, cols: string) =>
  (await query(`select ${cols} from planning.${model}__by_scenario where _scenario = '${scenario}' order by all`)).map((r) => Object.values(r).map(String));

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wb-sql-scen-'));
  writeScenarioProject(dir, '{ type: duckdb, path: wh.duckdb }');
  const loaded = await loadProject(dir);
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.diagnostics));
  project = loaded.value;
  adapter = await DuckDBAdapter.open(join(dir, 'wh.duckdb'), duckdbDialect);
  firstPlan = await plan();
  const applied = await applyPlan(firstPlan, adapter);
  if (!applied.ok) throw new Error(JSON.stringify(applied.diagnostics));
  wb = await openProject(dir, { adapter });
  await writeScenarios(wb);
}, 120_000);

afterAll(async () => {
  await wb?.close();
  await adapter?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('__by_scenario views of SQL models (DuckDB)', () => {
  it('are planned for SQL models reading scenario inputs (directly or through refs), after the model versions', () => {
    const views = firstPlan.operations.flatMap((o) => (o.kind === 'create-managed-view' && o.view.name.endsWith('__by_scenario') ? [o.view.name] : []));
    expect(views.sort()).toEqual(['account_forecast__by_scenario', 'forecast_accounts__by_scenario', 'region_share__by_scenario', 'region_totals__by_scenario']);
    const last = firstPlan.operations.map((o) => o.kind).lastIndexOf('create-model-version');
    const first = firstPlan.operations.findIndex((o) => o.kind === 'create-managed-view' && o.view.name === 'region_totals__by_scenario');
    expect(first).toBeGreaterThan(last);
  });

  it('aggregates the scenario rows with fall-back; base equals the model', async () => {
    const cols = 'region, cast(total as varchar), rows_read';
    for (const [scenario, expected] of Object.entries(REGION_TOTALS)) expect(await byScenario('region_totals', scenario, cols), scenario).toEqual(expected);
    expect((await query(`select ${cols} from planning.region_totals order by all`)).map((r) => Object.values(r).map(String))).toEqual(REGION_TOTALS.base);
    // an input without scenarios and a ref to a model without scenarios read as in the model
    expect(await byScenario('region_totals', 'moonshot', 'region, cast(target as varchar), accounts')).toEqual([
      ['AMER', 'null', '2'],
      ['EMEA', '200.00', '2'],
    ]);
  });

  it('archived scenarios are absent; every active scenario is present', async () => {
    expect(await byScenario('region_totals', 'old', 'region')).toEqual([]);
    const scenarios = await query('select distinct _scenario from planning.region_totals__by_scenario order by 1');
    expect(scenarios.map((r) => r._scenario)).toEqual(['base', 'moonshot', 'stretch']);
  });

  it('follows refs: a SQL model over a SQL model, and over an enrich model', async () => {
    expect(await byScenario('region_share', 'stretch', 'region, round(share, 4)')).toEqual([
      ['AMER', '0.1304'],
      ['EMEA', '0.8696'],
    ]);
    expect(await byScenario('region_share', 'base', 'region, round(share, 4)')).toEqual([
      ['AMER', '0.25'],
      ['EMEA', '0.75'],
    ]);
    expect(await byScenario('forecast_accounts', 'base', 'accounts, cast(total as varchar)')).toEqual([['4', '200.00']]);
    expect(await byScenario('forecast_accounts', 'stretch', 'accounts, cast(total as varchar)')).toEqual([['3', '230.00']]);
    expect(await byScenario('forecast_accounts', 'moonshot', 'accounts, cast(total as varchar)')).toEqual([['3', '290.00']]);
  });

  it('is copied into the BI snapshot and reads there', async () => {
    const path = join(dir, 'target', 'snapshot.duckdb');
    await writeSnapshot(adapter, { path });
    const reader = await DuckDBAdapter.open(path, duckdbDialect, { readOnly: true });
    try {
      const got = await reader.query<Record<string, unknown>>("select region, cast(total as varchar) as t, rows_read from planning.region_totals__by_scenario where _scenario = 'moonshot' order by 1");
      expect(got.map((r) => Object.values(r).map(String))).toEqual(REGION_TOTALS.moonshot);
    } finally {
      await reader.close();
    }
  });

  it('has _scenario first, then the model columns; a model without scenario inputs gets no view', async () => {
    const cols = await query(
      "select table_name, list(column_name order by ordinal_position) as cols from information_schema.columns where table_schema = 'planning' and table_name like '%by_scenario' group by 1 order by 1",
    );
    expect(cols.find((r) => r.table_name === 'region_totals__by_scenario')?.cols).toEqual(['_scenario', 'region', 'total', 'rows_read', 'target', 'accounts']);
    expect(cols.map((r) => r.table_name)).not.toContain('accounts_per_region__by_scenario');
  });

  it('where _scenario = … is pushed into the scenario scans: the windows see one chain only (EXPLAIN ANALYZE); a second plan is empty', async () => {
    interface Node { operator_type?: string; operator_cardinality?: number; extra_info?: Record<string, unknown>; children?: Node[] }
    const nodes = async (sql: string): Promise<Node[]> => {
      const [row] = await query(`explain (analyze, format json) ${sql}`);
      const all: Node[] = [];
      const walk = (n: Node) => {
        all.push(n);
        for (const c of n.children ?? []) walk(c);
      };
      walk(JSON.parse(String(row?.explain_value)) as Node);
      return all;
    };
    const filtered = await nodes("select * from planning.region_totals__by_scenario where _scenario = 'stretch'");
    const scans = filtered.filter((n) => n.operator_type === 'TABLE_SCAN' && JSON.stringify(n.extra_info).includes('_wb_scenarios'));
    expect(scans.some((n) => JSON.stringify(n.extra_info).includes("name='stretch'"))).toBe(true);
    const windowRows = (ns: Node[]) => ns.filter((n) => n.operator_type === 'WINDOW').reduce((sum, n) => sum + (n.operator_cardinality ?? 0), 0);
    // stretch's chain: its 3 rows (A1, A2, the B2 tombstone) and base's 4 — not moonshot's or the archived one's
    expect(windowRows(filtered)).toBe(7);
    // unfiltered: base 4 + stretch 3 + 4 + moonshot 1 + 3 + 4
    expect(windowRows(await nodes('select * from planning.region_totals__by_scenario'))).toBe(19);
    expect((await plan()).operations).toEqual([]);
  });

  it('a changed model or a new column of an input it reads through a ref re-creates the view; then nothing', async () => {
    const changed: Project = {
      ...project,
      models: project.models.map((m) =>
        m.name === 'region_totals' && m.body.kind === 'sql' ? { ...m, body: { ...m.body, sql: m.body.sql.replace('count(*) as rows_read', 'count(*) as rows_read, min(f.amount) as smallest') } } : m,
      ),
    };
    const p = await plan(changed);
    const views = p.operations.flatMap((o) => (o.kind === 'create-managed-view' ? [o.view.name] : []));
    expect(views.sort()).toEqual(['region_share__by_scenario', 'region_totals__by_scenario']);
    const applied = await applyPlan(p, adapter);
    expect(applied.ok).toBe(true);
    expect(await byScenario('region_totals', 'stretch', 'region, cast(smallest as varchar)')).toEqual([
      ['AMER', '30.00'],
      ['EMEA', '50.00'],
    ]);
    // a ref to a model without scenarios is pinned to the version its alias points at
    const op = p.operations.find((o) => o.kind === 'create-managed-view' && o.view.name === 'region_totals__by_scenario');
    expect(op?.kind === 'create-managed-view' && op.sql).toContain('"planning"."accounts_per_region__v1"');
    expect((await plan(changed)).operations).toEqual([]);
    // a new column of forecast: every view that reads it, through refs too, is re-created
    const forecast = changed.inputs.forecast!;
    const more: Project = { ...changed, inputs: { ...changed.inputs, forecast: { ...forecast, columns: [...forecast.columns, { ...forecast.columns.at(-1)!, name: 'owner' }] } } };
    const p2 = await plan(more);
    expect(p2.operations.flatMap((o) => (o.kind === 'create-managed-view' && o.view.name.endsWith('__by_scenario') ? [o.view.name] : [])).sort()).toEqual([
      'account_forecast__by_scenario',
      'forecast_accounts__by_scenario',
      'region_share__by_scenario',
      'region_totals__by_scenario',
    ]);
    expect((await applyPlan(p2, adapter)).ok).toBe(true);
    expect(await byScenario('region_totals', 'stretch', 'region, cast(total as varchar), rows_read')).toEqual(REGION_TOTALS.stretch);
    expect((await plan(more)).operations).toEqual([]);
  });
});

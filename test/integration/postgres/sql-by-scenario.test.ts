import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Adapter } from '../../../src/adapters/adapter.js';
import { openAdapter } from '../../../src/adapters/registry.js';
import { applyPlan } from '../../../src/apply/apply-plan.js';
import { planProject, type Plan } from '../../../src/plan/plan-project.js';
import { loadProject } from '../../../src/project/load-project.js';
import type { Project } from '../../../src/ir/types.js';
import { openProject } from '../../../src/library/open-project.js';
import type { Writeback } from '../../../src/library/writeback.js';
import { REGION_TOTALS, writeScenarioProject, writeScenarios } from '../workflow/sql-by-scenario-project.js';
import { postgresUnavailable, startPostgres, type PgServer } from './pg-server.js';

// `__by_scenario` views of SQL models on a real, throwaway PostgreSQL (CROSS JOIN LATERAL with the
// scenario correlated inside CTEs, windows and GROUP BY; refs inlined with an alias; views dropped
// and re-created when their columns change). Skipped where the server binaries are missing.
const missing = postgresUnavailable();

describe.skipIf(missing !== undefined)(`__by_scenario views of SQL models (Postgres)${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let server: PgServer;
  let dir = '';
  let project: Project;
  let adapter: Adapter;
  let wb: Writeback;
  let first: Plan;
  const plan = async (p: Project = project): Promise<Plan> => {
    const r = await planProject(p, { targetName: 'dev', adapter, user: 'tester' });
    if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
    return r.value;
  };
  const rows = async (sql: string) => (await adapter.query<Record<string, unknown>>(sql)).map((r) => Object.values(r).map(String));

  beforeAll(async () => {
    server = await startPostgres();
    server.createDatabase('scen');
    dir = mkdtempSync(join(tmpdir(), 'wb-pg-scen-'));
    writeScenarioProject(dir, `{ type: postgres, host: 127.0.0.1, port: ${server.port}, database: scen, user: postgres }`);
    const loaded = await loadProject(dir);
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.diagnostics));
    project = loaded.value;
    adapter = await openAdapter(project, project.targets.dev!);
    first = await plan();
    const applied = await applyPlan(first, adapter);
    if (!applied.ok) throw new Error(JSON.stringify(applied.diagnostics));
    wb = await openProject(dir, { adapter });
    await writeScenarios(wb);
  }, 180_000);

  afterAll(async () => {
    await wb?.close();
    await adapter?.close();
    server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('creates the views and they aggregate each scenario with fall-back; archived scenarios are absent', async () => {
    const views = first.operations.flatMap((o) => (o.kind === 'create-managed-view' && o.view.name.endsWith('__by_scenario') ? [o.view.name] : []));
    expect(views.sort()).toEqual(['account_forecast__by_scenario', 'forecast_accounts__by_scenario', 'region_share__by_scenario', 'region_totals__by_scenario']);
    for (const [scenario, expected] of Object.entries(REGION_TOTALS)) {
      expect(await rows(`select region, total, rows_read from planning.region_totals__by_scenario where _scenario = '${scenario}' order by 1`), scenario).toEqual(expected);
    }
    expect(await rows('select region, total, rows_read from planning.region_totals order by 1')).toEqual(REGION_TOTALS.base);
    expect(await rows("select region, round(share, 4) from planning.region_share__by_scenario where _scenario = 'stretch' order by 1")).toEqual([
      ['AMER', '0.1304'],
      ['EMEA', '0.8696'],
    ]);
    expect(await rows("select accounts, total from planning.forecast_accounts__by_scenario where _scenario = 'moonshot'")).toEqual([['3', '290.00']]);
    expect(await rows('select distinct _scenario from planning.region_totals__by_scenario order by 1')).toEqual([['base'], ['moonshot'], ['stretch']]);
  });

  it('a second plan is empty; a changed upstream model re-points its alias (nothing depends on it) and re-creates the views', async () => {
    expect((await plan()).operations).toEqual([]);
    const changed: Project = {
      ...project,
      models: project.models.map((m) =>
        m.name === 'accounts_per_region' && m.body.kind === 'sql' ? { ...m, body: { ...m.body, sql: m.body.sql.replace('count(*) as n', 'count(*) as n, min(id) as first_id') } } : m,
      ),
    };
    const p = await plan(changed);
    expect(p.operations.flatMap((o) => (o.kind === 'create-managed-view' ? [o.view.name] : []))).toEqual(['region_totals__by_scenario', 'region_share__by_scenario']);
    const applied = await applyPlan(p, adapter);
    expect(applied.ok, JSON.stringify(applied)).toBe(true);
    expect(await rows("select region, total, rows_read from planning.region_totals__by_scenario where _scenario = 'stretch' order by 1")).toEqual(REGION_TOTALS.stretch);
    expect((await plan(changed)).operations).toEqual([]);
  }, 60_000);
});

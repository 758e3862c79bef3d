import { describe, expect, it } from 'vitest';
import { getDialect } from '../../../src/dialects/registry.js';
import { readsScenarioInputs, renderSqlByScenario, sqlModelHasByScenarioView } from '../../../src/emit/model-sql-by-scenario.js';
import { latestAliasResolver } from '../../../src/emit/render-context.js';
import { Reporter } from '../../../src/diagnostics/reporter.js';
import { planWorkflowViews } from '../../../src/plan/plan-workflow-views.js';
import type { WarehouseState } from '../../../src/plan/warehouse-state.js';
import type { Model, Project } from '../../../src/ir/types.js';
import { projectOn, ROOT } from '../dialects/remote-projects.js';

// `kind: sql` models reading scenario inputs get `<model>__by_scenario` where the dialect has
// lateral joins, and a warning naming the model elsewhere (never a silent gap).

/** planWorkflowViews with what it reported, split into errors and warnings. */
function plan(...args: [Project, WarehouseState, ReturnType<typeof getDialect>, string, []]) {
  const report = new Reporter();
  const ops = planWorkflowViews(...args, report);
  return { ops, diagnostics: report.all.filter((d) => d.severity === 'error'), warnings: report.all.filter((d) => d.severity === 'warning') };
}

const empty = (): WarehouseState => ({ tables: new Map(), schemas: new Set(), versions: [], seeds: [], aliases: new Map(), heads: new Set() });
const loc = { file: 'models/x.yml', line: 1, col: 1 };
const sqlModel = (name: string, sql: string, dependsOn: Partial<Model['dependsOn']>): Model => ({
  name,
  body: { kind: 'sql', sql, sqlLoc: loc },
  dependsOn: { models: [], inputs: [], sources: [], ...dependsOn },
  loc,
});

/** The demo plus a SQL model over forecast_vs_actuals (unaliased ref, trailing comment). */
async function demoOn(type: 'snowflake' | 'bigquery' | 'postgres'): Promise<Project> {
  const p = await projectOn(ROOT, type);
  const extra = sqlModel('fva_total', "select sum(forecast) as forecast from {{ ref('forecast_vs_actuals') }} -- total", { models: ['forecast_vs_actuals'] });
  return { ...p, models: [...p.models, extra] };
}

describe('__by_scenario of SQL models in the plan', () => {
  it.each(['postgres'] as const)('%s (lateral joins): a view per SQL model reading scenario inputs, refs pinned, no warning', async (type) => {
    const project = await demoOn(type);
    const state = empty();
    state.aliases.set('account_categories', 3);
    const { ops, diagnostics, warnings } = plan(project, state, getDialect(type), project.defaultTarget, []);
    expect(diagnostics).toEqual([]);
    expect(warnings).toEqual([]);
    const views = new Map(ops.flatMap((o) => (o.kind === 'create-managed-view' ? [[o.view.name, o.sql] as const] : [])));
    expect([...views.keys()].filter((n) => n.endsWith('__by_scenario')).sort()).toEqual(['account_forecast__by_scenario', 'forecast_vs_actuals__by_scenario', 'fva_total__by_scenario']);
    const fva = views.get('forecast_vs_actuals__by_scenario')!;
    expect(fva).toMatch(/^select "_wb_scn"\."_scenario" as "_scenario", "_wb_m"\.\* from \(select 'base' as "_scenario" union all .*\) as "_wb_scn" cross join lateral \(/s);
    expect(fva).toContain(`lv."_s" = "_wb_scn"."_scenario"`);
    expect(fva).toContain('"planning"."account_categories__v3"');
    // the ref to a model with scenarios is inlined (aliased), and a trailing comment cannot swallow `)`
    const total = views.get('fva_total__by_scenario')!;
    expect(total).not.toContain('"planning"."forecast_vs_actuals"');
    expect(total).toMatch(/\n\) as "forecast_vs_actuals" -- total\n\) as "_wb_m"$/);
  });

  it.each(['snowflake', 'bigquery'] as const)('%s (no lateral joins): no view, a warning naming each SQL model; structured views stay', async (type) => {
    const project = await demoOn(type);
    const { ops, diagnostics, warnings } = plan(project, empty(), getDialect(type), project.defaultTarget, []);
    expect(diagnostics).toEqual([]);
    expect(ops.flatMap((o) => (o.kind === 'create-managed-view' && o.view.name.endsWith('__by_scenario') ? [o.view.name] : []))).toEqual(['account_forecast__by_scenario']);
    expect(warnings.map((w) => [w.code, w.severity, w.loc?.file])).toEqual([
      ['by-scenario-unsupported', 'warning', 'models/forecast_vs_actuals.yml'],
      ['by-scenario-unsupported', 'warning', 'models/x.yml'],
    ]);
    expect(warnings[0]!.message).toContain("model 'forecast_vs_actuals' (kind: sql) reads inputs with scenarios but gets no forecast_vs_actuals__by_scenario view");
    expect(warnings[0]!.message).toContain('LATERAL');
  });

  it('only SQL models that read a scenario input, directly or through refs, qualify', async () => {
    const project = await demoOn('postgres');
    const byName = (n: string) => project.models.find((m) => m.name === n)!;
    expect(readsScenarioInputs(project, byName('account_categories'))).toBe(false);
    expect(readsScenarioInputs(project, byName('account_forecast'))).toBe(true);
    expect(sqlModelHasByScenarioView(project, byName('account_forecast'))).toBe(false);
    expect(sqlModelHasByScenarioView(project, byName('forecast_vs_actuals'))).toBe(true);
    expect(sqlModelHasByScenarioView(project, byName('fva_total'))).toBe(true);
    const plain = sqlModel('plain', "select * from {{ ref('account_categories') }}", { models: ['account_categories'] });
    expect(renderSqlByScenario({ ...project, models: [...project.models, plain] }, plain, getDialect('postgres'), 'dev', latestAliasResolver(project))).toBeUndefined();
  });

  it('a SQL view that cannot be rendered for a scenario is a warning, not a plan failure', async () => {
    const project = await demoOn('postgres');
    const broken = sqlModel('broken', "select * from {{ input('revenue_forecast') }} f join {{ ref('nope') }} n on true", { inputs: ['revenue_forecast'] });
    const { ops, diagnostics, warnings } = plan({ ...project, models: [...project.models, broken] }, empty(), getDialect('postgres'), project.defaultTarget, []);
    expect(diagnostics).toEqual([]);
    expect(ops.some((o) => o.kind === 'create-managed-view' && o.view.name === 'broken__by_scenario')).toBe(false);
    expect(warnings.map((w) => w.message)).toEqual([expect.stringContaining("model 'broken' gets no broken__by_scenario view: model 'broken' refers to model 'nope'")]);
  });

  it('a SQL model that names a _scenario column gets no view (it would clash), with a warning', async () => {
    const project = await demoOn('postgres');
    const clash = sqlModel('clash', "select 'x' as _scenario, amount from {{ input('revenue_forecast') }}", { inputs: ['revenue_forecast'] });
    const { ops, warnings } = plan({ ...project, models: [...project.models, clash] }, empty(), getDialect('postgres'), project.defaultTarget, []);
    expect(ops.some((o) => o.kind === 'create-managed-view' && o.view.name === 'clash__by_scenario')).toBe(false);
    expect(warnings.map((w) => [w.code, w.message])).toEqual([['by-scenario-unsupported', expect.stringContaining('_scenario, which would clash')]]);
  });
});

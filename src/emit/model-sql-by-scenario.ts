import type { Dialect } from '../dialects/dialect.js';
import type { Result } from '../diagnostics/diagnostic.js';
import { Reporter } from '../diagnostics/reporter.js';
import { stateTableName } from '../managed/names.js';
import type { InputTable, Model, Project } from '../ir/types.js';
import { allLevelsSql, resolvedRowsSql, scenarioListSql } from './scenario-rows.js';
import { renderModelBody } from './model-sql.js';
import type { RefResolver, RenderContext, RenderOptions, ScenarioScope } from './render-context.js';

/** Alias of the scenario list in a SQL model's `__by_scenario` view; the model's SQL refers to it (correlated). */
export const SCENARIO_LIST_ALIAS = '_wb_scn';

/** Alias of the model's rows (the lateral subquery) in a SQL model's `__by_scenario` view. */
const MODEL_ALIAS = '_wb_m';

/** True when the model reads an input with `scenarios: true`, directly or through refs (any kind, any depth). */
export function readsScenarioInputs(project: Project, model: Model, seen: Set<string> = new Set()): boolean {
  if (model.dependsOn.inputs.some((n) => Object.hasOwn(project.inputs, n) && project.inputs[n]!.scenarios)) return true;
  seen.add(model.name);
  return model.dependsOn.models.some((name) => {
    if (seen.has(name)) return false;
    const up = project.models.find((m) => m.name === name);
    return up !== undefined && readsScenarioInputs(project, up, seen);
  });
}

/** Every input a model reads, directly or through refs (any depth). */
export function inputsReadTransitively(project: Project, model: Model, seen: Set<string> = new Set()): Set<string> {
  const out = new Set(model.dependsOn.inputs);
  seen.add(model.name);
  for (const name of model.dependsOn.models) {
    const up = seen.has(name) ? undefined : project.models.find((m) => m.name === name);
    if (up) for (const i of inputsReadTransitively(project, up, seen)) out.add(i);
  }
  return out;
}

/** True when a `kind: sql` model gets a `<model>__by_scenario` view: it reads scenario inputs (directly or through refs). */
export function sqlModelHasByScenarioView(project: Project, model: Model): boolean {
  return model.body.kind === 'sql' && readsScenarioInputs(project, model);
}

/**
 * An input's rows for the scenario `scenario` (an SQL expression: the view's correlated scenario
 * column) with copy-on-write fall-back along its parent chain (src/workflow/resolved-rows.ts),
 * exposing `columns` like `inputRelationSql` does. The chain is filtered by the scenario before
 * the windows, so each lateral row resolves one scenario only.
 */
function scenarioInputSql(d: Dialect, inputsSchema: string, input: InputTable, columns: readonly string[], scenario: string): string {
  const q = (c: string) => d.quoteIdent(c);
  const levels = `(select lv.${q('_s')}, lv.${q('_anc')}, lv.${q('_d')} from ${allLevelsSql(d, inputsSchema)} lv where lv.${q('_s')} = ${scenario})`;
  const rows = resolvedRowsSql(d, input, d.qualify(inputsSchema, stateTableName(input.name)), levels);
  return `(select ${columns.map((c) => `r.${q(c)}`).join(', ')} from ${rows} r)`;
}

/**
 * The scope that renders models for the scenario named by `scenario` (an SQL expression): a
 * scenario-enabled input becomes its resolved rows for that scenario; a ref to a model that reads
 * scenario inputs (at any depth) becomes that model's SQL rendered in the same scope, inlined.
 * Everything else reads as in the model (base rows, pinned or latest views).
 */
function scenarioScope(base: Omit<RenderContext, 'model' | 'scenario'>, scenario: string): ScenarioScope {
  const { project, dialect } = base;
  const inlined = new Map<string, string | undefined>();
  const scope: ScenarioScope = {
    input: (input, columns) => (input.scenarios ? scenarioInputSql(dialect, project.schemas.inputs, input, columns, scenario) : undefined),
    model: (name) => {
      if (inlined.has(name)) return inlined.get(name);
      const up = project.models.find((m) => m.name === name);
      let sql: string | undefined;
      if (up && readsScenarioInputs(project, up)) {
        const body = renderModelBody({ ...base, model: up, scenario: scope });
        // a newline before `)`: the model's SQL may end in a `--` comment
        if (body !== undefined) sql = `(${body}\n)`;
      }
      inlined.set(name, sql);
      return sql;
    },
  };
  return scope;
}

/**
 * SELECT of `<model>__by_scenario` for a `kind: sql` model: every active scenario (`base` and each
 * unarchived `_wb_scenarios` row) cross-joined LATERAL with the model's SQL rendered for that
 * scenario (`input('t')` of a scenario-enabled input → t's rows resolved for the scenario, with
 * fall-back; `ref('m')` of a model that reads scenario inputs → m's SQL for the scenario, inlined),
 * with a leading `_scenario` column. `where _scenario = 'x'` returns what the model returns if
 * scenario x were base. Needs the dialect's `lateralJoins`; undefined for models without scenarios.
 */
export function renderSqlByScenario(
  project: Project,
  model: Model,
  dialect: Dialect,
  targetName: string,
  resolveRef: RefResolver,
  options: RenderOptions = {},
): Result<string> | undefined {
  if (!sqlModelHasByScenarioView(project, model)) return undefined;
  if (model.body.kind === 'sql' && /(?<![A-Za-z0-9_$])_scenario(?![A-Za-z0-9_$])/i.test(model.body.sql)) {
    const clash = new Reporter();
    clash.error('by-scenario-column', { model: model.name }, model.body.sqlLoc);
    return clash.result<string>(undefined);
  }
  const q = (n: string) => dialect.quoteIdent(n);
  const report = new Reporter();
  const scenario = `${q(SCENARIO_LIST_ALIAS)}.${q('_scenario')}`;
  const base = { project, dialect, targetName, resolveRef, options, report };
  const body = renderModelBody({ ...base, model, scenario: scenarioScope(base, scenario) });
  if (body === undefined || report.hasErrors) return report.result<string>(undefined);
  const sql =
    `select ${scenario} as ${q('_scenario')}, ${q(MODEL_ALIAS)}.* from ${scenarioListSql(dialect, project.schemas.inputs)} as ${q(SCENARIO_LIST_ALIAS)} ` +
    `cross join lateral (${body}\n) as ${q(MODEL_ALIAS)}`;
  return report.result(sql);
}

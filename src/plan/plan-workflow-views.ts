import type { Dialect } from '../dialects/dialect.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Reporter } from '../diagnostics/reporter.js';
import { fixedMap } from '../diagnostics/text-map.js';
import { byScenarioViewName, pendingViewName, versionViewName } from '../managed/names.js';
import { hasByScenarioView, renderByScenario } from '../emit/model-by-scenario.js';
import { inputsReadTransitively, renderSqlByScenario, sqlModelHasByScenarioView } from '../emit/model-sql-by-scenario.js';
import type { RefResolver, RenderOptions } from '../emit/render-context.js';
import type { Model, Project } from '../ir/types.js';
import { pendingViewSql } from '../emit/pending-view.js';
import { type Operation } from './operation.js';
import { tableKey, type WarehouseState } from './warehouse-state.js';

/**
 * Views of the planning workflows, as `create-managed-view` operations:
 * - `<views>.<t>__pending` for every input with `approval:` (created when missing);
 * - `<views>.<model>__by_scenario` for every structured model that reads an input with
 *   `scenarios: true`, and every `kind: sql` model that reads one directly or through refs (where
 *   the dialect has `lateralJoins`; else a `by-scenario-unsupported` warning). Created when
 *   missing, re-created when the plan changes the model's version or the columns of an input it
 *   reads (through refs too). Refs inside are pinned to the versions the models' aliases point at
 *   after this plan (like version views: nothing depends on an alias, so re-pointing one never
 *   has to drop a dependent view), so a model's new version re-creates its view.
 */
export function planWorkflowViews(
  project: Project,
  state: WarehouseState,
  dialect: Dialect,
  targetName: string,
  earlier: readonly Operation[],
  report: Reporter,
  options: RenderOptions = {},
): Operation[] {
  const { inputs: inputsSchema, views } = project.schemas;
  const ops: Operation[] = [];
  for (const input of Object.values(project.inputs)) {
    if (!input.approval) continue;
    const name = pendingViewName(input.name);
    if (state.tables.has(tableKey(views, name))) continue;
    ops.push({
      kind: 'create-managed-view',
      description: `create view ${views}.${name} (changes of ${input.name} waiting for approval)`,
      destructive: false,
      view: { schema: views, name },
      sql: pendingViewSql(dialect, inputsSchema, input.name),
    });
  }
  const changedModels = new Set(earlier.flatMap((op) => (op.kind === 'create-model-version' || op.kind === 'point-model-alias' ? [op.model] : [])));
  const changedInputs = new Set(
    earlier.flatMap((op) => (op.kind === 'create-input-tables' || op.kind === 'add-input-column' || op.kind === 'drop-input-column' ? [op.input] : [])),
  );
  const pinned = pinnedResolver(views, state, earlier);
  for (const model of project.models) {
    const structured = hasByScenarioView(project, model);
    if (!structured && !sqlModelHasByScenarioView(project, model)) continue;
    if (!structured && !dialect.lateralJoins) {
      report.warn('by-scenario-unsupported', { model: model.name, view: byScenarioViewName(model.name), dialect: dialect.name }, model.loc);
      continue;
    }
    const name = byScenarioViewName(model.name);
    const read = structured ? model.dependsOn.inputs : [...inputsReadTransitively(project, model)];
    const stale = changedModels.has(model.name) || read.some((i) => changedInputs.has(i));
    if (state.tables.has(tableKey(views, name)) && !stale) continue;
    const rendered = structured
      ? renderByScenario(project, model, dialect, targetName, pinned, options)
      : renderSqlByScenario(project, model, dialect, targetName, pinned, options);
    if (!rendered) continue;
    if (!rendered.ok) {
      // a SQL model's own errors are reported by planModels; its scenario view is left out with a warning
      if (structured) report.add(...rendered.diagnostics);
      else warnNotRendered(model, rendered.diagnostics, report);
      continue;
    }
    ops.push({
      kind: 'create-managed-view',
      description: `create view ${views}.${name} (model ${model.name} once per scenario, with _scenario)`,
      destructive: false,
      view: { schema: views, name },
      sql: rendered.value,
      source: fixedMap(model.loc),
    });
  }
  return ops;
}

/** Each `ref('m')` → `m__vN`, N being the version m's alias points at once the earlier operations ran (else the alias `m`). */
function pinnedResolver(views: string, state: WarehouseState, earlier: readonly Operation[]): RefResolver {
  return (model) => {
    const op = earlier.find((o) => o.kind === 'point-model-alias' && o.model === model);
    const version = op?.kind === 'point-model-alias' ? op.version : state.aliases.get(model);
    return { schema: views, name: version === undefined ? model : versionViewName(model, version) };
  };
}

/** Warning: a SQL model's `__by_scenario` view could not be rendered (the first error says why). */
function warnNotRendered(model: Model, diagnostics: Diagnostic[], report: Reporter): void {
  const first = diagnostics.find((x) => x.severity === 'error');
  report.warn('by-scenario-unsupported', { model: model.name, view: byScenarioViewName(model.name), ...(first ? { reason: first.message } : {}) }, first?.loc ?? model.loc);
}

import type { Dialect } from '../dialects/dialect.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { byScenarioViewName, hasByScenarioView, renderByScenario } from '../emit/model-by-scenario.js';
import { latestAliasResolver } from '../emit/render-context.js';
import type { Project } from '../project/types.js';
import { pendingViewSql } from '../workflow/pending-store.js';
import type { Operation } from './operation.js';
import { tableKey, type WarehouseState } from './warehouse-state.js';

/**
 * Views of the planning workflows (issue 5), as `create-managed-view` operations:
 * - `<views>.<t>__pending` for every input with `approval:` (created when missing);
 * - `<views>.<model>__by_scenario` for every structured model that reads an input with
 *   `scenarios: true` (created when missing, and re-created when the plan changes the model's
 *   version or one of its inputs' columns). Refs inside point at the models' latest aliases.
 */
export function planWorkflowViews(
  project: Project,
  state: WarehouseState,
  dialect: Dialect,
  targetName: string,
  earlier: readonly Operation[],
): { ops: Operation[]; diagnostics: Diagnostic[] } {
  const { inputs: inputsSchema, views } = project.schemas;
  const ops: Operation[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const input of Object.values(project.inputs)) {
    if (!input.approval) continue;
    const name = `${input.name}__pending`;
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
  for (const model of project.models) {
    if (!hasByScenarioView(project, model)) continue;
    const name = byScenarioViewName(model.name);
    const stale = changedModels.has(model.name) || model.dependsOn.inputs.some((i) => changedInputs.has(i));
    if (state.tables.has(tableKey(views, name)) && !stale) continue;
    const rendered = renderByScenario(project, model, dialect, targetName, latestAliasResolver(project));
    if (!rendered) continue;
    if (!rendered.ok) {
      diagnostics.push(...rendered.diagnostics);
      continue;
    }
    ops.push({
      kind: 'create-managed-view',
      description: `create view ${views}.${name} (model ${model.name} once per scenario, with _scenario)`,
      destructive: false,
      view: { schema: views, name },
      sql: rendered.value,
    });
  }
  return { ops, diagnostics };
}

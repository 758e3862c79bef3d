import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Project } from '../ir/types.js';
import { byScenarioViewName, historyViewName, pendingViewName } from '../managed/names.js';
import type { Operation } from '../plan/operation.js';

/**
 * How far the warehouse is behind the project, from a plan (an empty plan = in sync). Requests on
 * a table or model listed here would fail in the warehouse: the server answers them 503
 * `apply_required` instead, naming the object and `writeback apply`.
 */
export interface Drift {
  /** True when the plan is empty (and was not refused). */
  inSync: boolean;
  /** Shared objects are missing (a schema, a `_wb_*` table or column): every table and model is affected. */
  everything: boolean;
  /** Input table → what apply would change on it. */
  inputs: Record<string, string[]>;
  /** Model → what apply would change on it. */
  models: Record<string, string[]>;
  /** Seed files apply would reload (the data is stale; nothing fails). */
  seeds: string[];
  /** The plan was refused (`writeback apply` needs a decision first, e.g. `--allow-destructive`): its messages. */
  refused: string[];
}

/** In sync: nothing to apply. */
export const IN_SYNC: Drift = { inSync: true, everything: false, inputs: {}, models: {}, seeds: [], refused: [] };

function add(into: Record<string, string[]>, name: string, what: string): void {
  (into[name] ??= []).push(what);
}

/** The input or model that owns a managed view (`<t>__history`, `<t>__pending`, `<model>__by_scenario`). */
function ownerOfView(project: Project, view: string): { input: string } | { model: string } | undefined {
  for (const t of Object.keys(project.inputs)) if (view === historyViewName(t) || view === pendingViewName(t)) return { input: t };
  for (const m of project.models) if (view === byScenarioViewName(m.name) || view === m.name) return { model: m.name };
  return undefined;
}

/** What a plan's operations (or a refused plan's diagnostics) mean for the objects a server serves. */
export function driftOf(project: Project, plan: { ok: true; operations: Operation[] } | { ok: false; diagnostics: Diagnostic[] }): Drift {
  const drift: Drift = { inSync: true, everything: false, inputs: {}, models: {}, seeds: [], refused: [] };
  if (!plan.ok) {
    drift.inSync = false;
    for (const d of plan.diagnostics.filter((x) => x.severity === 'error')) {
      drift.refused.push(d.message);
      const file = d.loc?.file;
      if (!file) continue;
      for (const t of Object.values(project.inputs)) if (t.loc?.file === file) add(drift.inputs, t.name, d.message);
      for (const m of project.models) if (m.loc?.file === file) add(drift.models, m.name, d.message);
    }
    return drift;
  }
  for (const op of plan.operations) {
    // a missing index slows reads of the log but breaks nothing: serving need not wait for it
    if (op.kind === 'create-log-index') continue;
    drift.inSync = false;
    switch (op.kind) {
      case 'create-schema':
      case 'create-meta-table':
      case 'add-meta-column':
      case 'drop-legacy-chain-heads':
        drift.everything = true;
        break;
      case 'create-input-tables':
      case 'create-chain-head':
      case 'add-input-column':
      case 'drop-input-column':
      case 'rebuild-state-table':
      case 'archive-input-table':
        // an archived (removed) input is no longer served: nothing to block
        if (Object.hasOwn(project.inputs, op.input)) add(drift.inputs, op.input, op.description);
        break;
      case 'create-model-version':
      case 'point-model-alias':
        add(drift.models, op.model, op.description);
        break;
      case 'create-managed-view': {
        const owner = ownerOfView(project, op.view.name);
        if (owner && 'input' in owner) add(drift.inputs, owner.input, op.description);
        else if (owner) add(drift.models, owner.model, op.description);
        break;
      }
      case 'load-seed':
        drift.seeds.push(op.file);
        break;
    }
  }
  return drift;
}

/** One line for people: what is behind and what to run. */
export function describeDrift(drift: Drift): string {
  if (drift.inSync) return 'the warehouse matches the project';
  const parts: string[] = [];
  if (drift.everything) parts.push('shared writeback tables (every table and model)');
  const inputs = Object.keys(drift.inputs);
  const models = Object.keys(drift.models);
  if (inputs.length > 0) parts.push(`input table${inputs.length > 1 ? 's' : ''} ${inputs.join(', ')}`);
  if (models.length > 0) parts.push(`model${models.length > 1 ? 's' : ''} ${models.join(', ')}`);
  if (drift.seeds.length > 0) parts.push(`seed${drift.seeds.length > 1 ? 's' : ''} ${drift.seeds.join(', ')} (stale data)`);
  const what = parts.length > 0 ? parts.join('; ') : 'the project';
  const refused = drift.refused.length > 0 ? ` (apply needs a decision first: ${drift.refused.join('; ')})` : '';
  return `the warehouse is behind the project: ${what} differ from the YAML; run \`writeback apply\`${refused}`;
}

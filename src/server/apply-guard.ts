import { apiError, type ApiFailure } from '../http/api-error.js';
import type { HttpContext } from '../http/context.js';
import type { HttpLibrary } from '../http/library.js';
import type { RouteSpec } from '../http/route.js';

const RUN = 'run `writeback apply` (it applies through this server), or restart `writeback dev`';

function behind(kind: 'input table' | 'model', name: string, changes: string[]): ApiFailure {
  return apiError(
    'apply_required',
    `${kind} '${name}' differs from the warehouse: the project changed and was not applied; ${RUN}`,
    changes.map((message) => ({ message, [kind === 'model' ? 'model' : 'table']: name })),
  );
}

/**
 * 503 `apply_required` for a request on a table or model the warehouse is behind on (the last
 * plan of `wb.deploy`: at start-up and after every apply through the server), instead of the
 * warehouse error it would run into. Shared objects missing (a schema, a `_wb_*` table) block
 * every route that touches the warehouse, before sign-in (which reads `_wb_tokens`); a table or
 * model blocks the routes that name it, after sign-in; `scenario-tables` routes are blocked by any
 * input table with scenarios.
 */
export function applyGuard(wb: Pick<HttpLibrary, 'deploy' | 'project'>) {
  return (spec: RouteSpec, c: HttpContext, phase: 'before-auth' | 'after-auth'): ApiFailure | undefined => {
    const drift = wb.deploy.drift;
    const touches = spec.touches ?? 'path';
    if (drift.inSync || touches === 'nothing') return undefined;
    if (phase === 'before-auth') {
      return drift.everything ? apiError('apply_required', `the warehouse lacks objects every table needs (the project changed and was not applied); ${RUN}`) : undefined;
    }
    if (touches === 'scenario-tables') {
      const name = Object.keys(drift.inputs).find((t) => wb.project.inputs[t]?.scenarios);
      return name === undefined ? undefined : behind('input table', name, drift.inputs[name] ?? []);
    }
    const table = spec.path.includes('{table}') ? c.req.param('table') : undefined;
    if (table !== undefined && Object.hasOwn(drift.inputs, table)) return behind('input table', table, drift.inputs[table] ?? []);
    const model = spec.path.includes('{model}') ? c.req.param('model') : undefined;
    if (model !== undefined && Object.hasOwn(drift.models, model)) return behind('model', model, drift.models[model] ?? []);
    return undefined;
  };
}

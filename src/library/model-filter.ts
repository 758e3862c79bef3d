import type { Dialect } from '../dialects/dialect.js';
import type { SqlValue } from '../adapters/adapter.js';
import type { InputTable, Model, Project, RowFilter } from '../ir/types.js';
import { checkPermission } from '../auth/permissions.js';
import { onOutputColumns, rowScope } from '../auth/row-filter.js';
import type { Actor } from '../auth/actor.js';
import { failure, type WriteError } from '../rules/outcome.js';

/** Every input table a model reads, directly or through upstream models. */
export function inputsOfModel(project: Project, model: Model): InputTable[] {
  const byName = new Map(project.models.map((m) => [m.name, m]));
  const seen = new Set<string>();
  const inputs = new Set<string>();
  const visit = (m: Model) => {
    if (seen.has(m.name)) return;
    seen.add(m.name);
    m.dependsOn.inputs.forEach((i) => inputs.add(i));
    for (const up of m.dependsOn.models) {
      const upstream = byName.get(up);
      if (upstream) visit(upstream);
    }
  };
  visit(model);
  return [...inputs].flatMap((name) => (project.inputs[name] ? [project.inputs[name]] : []));
}

/** Input columns that a model shows under another name (the base column an input key is joined on). */
function joinedAs(model: Model, input: string, column: string): string | undefined {
  const body = model.body;
  if (body.kind === 'enrich') return body.joins.find((j) => j.input === input)?.on[column];
  if (body.kind === 'override' && body.input === input) return body.on[column];
  return undefined;
}

/**
 * The caller's row filters as conditions on a model's output (`alias`). A model shows a role only
 * what the role may read of every input it includes: no `read` on one of them is 403; each row
 * filter applies (through the row-filter module) to the output column of the same name (for an
 * input key column, also the base column it is joined on). A filter that cannot be placed on the
 * output is 403 too — no read returns rows it cannot filter.
 */
export function modelScope(
  project: Project,
  model: Model,
  actor: Actor | undefined,
  outputColumns: string[],
  dialect: Dialect,
  alias: string,
  params: SqlValue[],
): { ok: true; where: string[] } | { ok: false; error: WriteError } {
  const where: string[] = [];
  const present = new Set(outputColumns);
  for (const input of inputsOfModel(project, model)) {
    const denied = checkPermission(input, actor, 'read');
    if (denied) return failure('forbidden', `role '${actor?.role}' may not read input table '${input.name}', which model '${model.name}' includes`);
    const columnOf = (f: RowFilter) => (f.onSource ? [f.column] : [f.column, joinedAs(model, input.name, f.column)]).find((c): c is string => c !== undefined && present.has(c));
    const conditions = rowScope(input, actor).where(dialect, params, onOutputColumns(dialect, alias, columnOf));
    if (!conditions) return failure('forbidden', `model '${model.name}' has no column to apply the row filter of '${input.name}' for role '${actor?.role}'`);
    where.push(...conditions);
  }
  return { ok: true, where };
}

/** The select of a model read (the view as `m`): identifiers quoted by the dialect, every value a bound parameter already in `params`. */
export function modelSelectSql(
  dialect: Dialect,
  view: { schema: string; name: string; columns: string[] },
  where: string[],
  params: SqlValue[],
  page?: { limit: number; offset: number },
): { sql: string; params: SqlValue[] } {
  let sql = `select * from ${dialect.qualify(view.schema, view.name)} m`;
  if (where.length > 0) sql += ` where ${where.join(' and ')}`;
  if (page) {
    const order = view.columns.map((_, i) => String(i + 1)).join(', ');
    sql += ` order by ${order} ${dialect.limitClause(params, page.limit + 1, page.offset)}`;
  }
  return { sql, params };
}

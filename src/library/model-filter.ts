import type { Dialect } from '../dialects/dialect.js';
import type { SqlValue } from '../adapters/adapter.js';
import type { InputTable, Model, Project } from '../ir/types.js';
import type { Actor } from '../auth/actor.js';
import { readFailure, type ReadError } from './read-error.js';

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

/** A `column = value` condition on the model's output. */
export interface ModelCondition {
  column: string;
  value: string;
}

/** Input columns that a model shows under another name (the base column an input key is joined on). */
function joinedAs(model: Model, input: string, column: string): string | undefined {
  const body = model.body;
  if (body.kind === 'enrich') return body.joins.find((j) => j.input === input)?.on[column];
  if (body.kind === 'override' && body.input === input) return body.on[column];
  return undefined;
}

/**
 * The caller's row filters as conditions on a model's output columns. A model shows a role only
 * what the role may read of every input it includes: no `read` on one of them is 403; each row
 * filter (`column = user.<attr>`) becomes a condition on the output column of the same name (for
 * an input key column, also the base column it is joined on). A filter that cannot be placed on
 * the output is 403 too — no read returns rows it cannot filter.
 */
export function modelConditions(project: Project, model: Model, actor: Actor | undefined, outputColumns: string[]): { ok: true; conditions: ModelCondition[] } | { ok: false; error: ReadError } {
  if (actor?.role === undefined) return { ok: true, conditions: [] };
  const conditions: ModelCondition[] = [];
  const present = new Set(outputColumns);
  for (const input of inputsOfModel(project, model)) {
    const perm = input.permissions[actor.role];
    if (!perm?.read) {
      return readFailure('forbidden', `role '${actor.role}' may not read input table '${input.name}', which model '${model.name}' includes`);
    }
    for (const f of perm.rowFilter) {
      const value = actor.attributes?.[f.attribute];
      if (value === undefined) {
        return readFailure('forbidden', `the row filter of '${input.name}' needs the user attribute '${f.attribute}', which this caller does not have`);
      }
      const candidates = f.onSource ? [f.column] : [f.column, joinedAs(model, input.name, f.column)];
      const column = candidates.find((c): c is string => c !== undefined && present.has(c));
      if (!column) {
        return readFailure('forbidden', `model '${model.name}' has no column '${f.column}' to apply the row filter of '${input.name}' for role '${actor.role}'`);
      }
      if (!conditions.some((c) => c.column === column && c.value === value)) conditions.push({ column, value });
    }
  }
  return { ok: true, conditions };
}

/** The select of a model read: identifiers quoted by the dialect, every value a bound parameter. */
export function modelSelectSql(
  dialect: Dialect,
  view: { schema: string; name: string; columns: string[] },
  conditions: ModelCondition[],
  page?: { limit: number; offset: number },
): { sql: string; params: SqlValue[] } {
  const params: SqlValue[] = [];
  const where = conditions.map((c) => {
    params.push(c.value);
    return `${dialect.quoteIdent(c.column)} = ${dialect.param(params.length)}`;
  });
  let sql = `select * from ${dialect.qualify(view.schema, view.name)}`;
  if (where.length > 0) sql += ` where ${where.join(' and ')}`;
  if (page) {
    const order = view.columns.map((_, i) => String(i + 1)).join(', ');
    params.push(page.limit + 1, page.offset);
    sql += ` order by ${order} limit ${dialect.param(params.length - 1)} offset ${dialect.param(params.length)}`;
  }
  return { sql, params };
}

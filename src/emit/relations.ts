import type { InputTable, Relation, SourceLocation } from '../ir/types.js';
import { stateTableName } from '../managed/names.js';
import { findModel } from './model-lookup.js';
import type { RenderContext } from './render-context.js';

/** System columns every input relation exposes after the user columns. */
export const INPUT_RELATION_SYSTEM_COLUMNS = ['_version', '_updated_by', '_updated_at'] as const;

/** Options of `inputRelationSql`. */
export interface InputRelationOptions {
  /** Also expose `_set_columns` (override models need it). */
  setColumns?: boolean;
  /**
   * Expose only these user columns (in the input's declared order), not all of them: a model
   * that reads some columns keeps its SQL, and so its version, when the input gains others.
   */
  columns?: readonly string[];
}

/** Names of the columns `inputRelationSql` exposes, in order. */
export function inputRelationColumns(input: InputTable, options: InputRelationOptions = {}): string[] {
  const wanted = options.columns && new Set(options.columns);
  const user = input.columns.map((c) => c.name).filter((c) => !wanted || wanted.has(c));
  const cols = [...user, ...INPUT_RELATION_SYSTEM_COLUMNS];
  return options.setColumns ? [...cols, '_set_columns'] : cols;
}

/**
 * The current base-scenario rows of an input, as a parenthesized subquery with an explicit
 * column list (so a view over it keeps its shape when the input later gains a column).
 */
export function inputRelationSql(ctx: RenderContext, input: InputTable, options: InputRelationOptions = {}): string {
  const { dialect, project } = ctx;
  const names = inputRelationColumns(input, options);
  const scoped = ctx.scenario?.input(input, names);
  if (scoped !== undefined) return scoped;
  const cols = names.map((c) => dialect.quoteIdent(c));
  const table = dialect.qualify(project.schemas.inputs, stateTableName(input.name));
  const scenario = dialect.literal('base');
  return `(select ${cols.join(', ')} from ${table} where ${dialect.quoteIdent('_scenario')} = ${scenario} and not ${dialect.quoteIdent('_deleted')})`;
}

/** The input named `name`, or undefined after recording an `unknown-input` diagnostic. */
export function lookupInput(ctx: RenderContext, name: string, loc: SourceLocation = ctx.model.loc): InputTable | undefined {
  const input = Object.hasOwn(ctx.project.inputs, name) ? ctx.project.inputs[name] : undefined;
  if (!input) ctx.report.error('unknown-input', { model: ctx.model.name, input: name }, loc);
  return input;
}

/** The qualified physical name of a source table for the context's target, or undefined after a diagnostic. */
export function sourceTableSql(ctx: RenderContext, source: string, table: string, loc: SourceLocation = ctx.model.loc): string | undefined {
  const src = Object.hasOwn(ctx.project.sources, source) ? ctx.project.sources[source] : undefined;
  const t = src && Object.hasOwn(src.tables, table) ? src.tables[table] : undefined;
  if (!t) {
    ctx.report.error('unknown-source', { missing: 'declaration', model: ctx.model.name, source, table }, loc);
    return undefined;
  }
  const schema = t.schema[ctx.targetName];
  if (schema === undefined) {
    ctx.report.error('unknown-source', { missing: 'target-schema', source, table, target: ctx.targetName }, loc);
    return undefined;
  }
  return ctx.dialect.qualify(schema, t.identifier, t.database[ctx.targetName]);
}

/**
 * The qualified name of a model as the resolver pins it, or undefined after an `unknown-model`
 * diagnostic. Inside a scenario scope, a model that reads scenario inputs comes back as a
 * parenthesized subquery instead (its SQL for the scope's scenario).
 */
export function modelRefSql(ctx: RenderContext, model: string, loc: SourceLocation = ctx.model.loc): string | undefined {
  if (!findModel(ctx.project, model)) {
    ctx.report.error('unknown-model', { model: ctx.model.name, ref: model }, loc);
    return undefined;
  }
  const scoped = ctx.scenario?.model(model);
  if (scoped !== undefined) return scoped;
  const { schema, name } = ctx.resolveRef(model);
  return ctx.dialect.qualify(schema, name);
}

/** SQL of a structured model's base relation (a source table or a referenced model). */
export function baseRelationSql(ctx: RenderContext, relation: Relation): string | undefined {
  return relation.kind === 'source' ? sourceTableSql(ctx, relation.source, relation.table) : modelRefSql(ctx, relation.model);
}

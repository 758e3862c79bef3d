import type { Model, Relation } from '../ir/types.js';
import { findModel } from './model-lookup.js';
import type { RenderContext } from './render-context.js';

/**
 * Output column names of a relation when they can be known offline: source columns from
 * `options.sourceColumns`, structured models derived from their base; SQL models are unknown.
 */
export function relationColumns(ctx: RenderContext, relation: Relation, seen: Set<string> = new Set()): string[] | undefined {
  if (relation.kind === 'source') return ctx.options.sourceColumns?.(relation.source, relation.table);
  const model = findModel(ctx.project, relation.model);
  if (!model || seen.has(model.name)) return undefined;
  return modelColumns(ctx, model, new Set([...seen, model.name]));
}

/** Output column names of a model, when knowable (see `relationColumns`). */
export function modelColumns(ctx: RenderContext, model: Model, seen: Set<string> = new Set([model.name])): string[] | undefined {
  const body = model.body;
  switch (body.kind) {
    case 'sql':
      return undefined;
    case 'append':
      return [...body.columns, '_origin'];
    case 'enrich': {
      const base = relationColumns(ctx, body.from, seen);
      return base && [...base, ...body.joins.flatMap((j) => j.columns)];
    }
    case 'override': {
      const base = relationColumns(ctx, body.from, seen);
      return base && [...base, '_overridden'];
    }
  }
}

/** True unless the base columns are known and lack one of `columns`; records `unknown-column` for each missing one. */
export function checkBaseColumns(ctx: RenderContext, relation: Relation, columns: string[]): boolean {
  const known = relationColumns(ctx, relation);
  if (!known) return true;
  const missing = [...new Set(columns.filter((c) => !known.includes(c)))];
  for (const col of missing) {
    ctx.report.error('unknown-column', { as: 'base-column', model: ctx.model.name, column: col }, ctx.model.loc);
  }
  return missing.length === 0;
}

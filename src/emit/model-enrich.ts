import type { EnrichJoin, InputTable, Relation } from '../ir/types.js';
import { baseRelationSql, inputRelationSql, lookupInput } from './relations.js';
import { checkBaseColumns, relationColumns } from './model-columns.js';
import type { RenderContext } from './render-context.js';

/**
 * enrich: the base relation left-joined to each input on `on` (input column = base column),
 * adding the chosen input columns under their own names.
 */
export function renderEnrich(ctx: RenderContext, from: Relation, joins: EnrichJoin[]): string | undefined {
  const { dialect: d } = ctx;
  const q = (n: string) => d.quoteIdent(n);
  const base = baseRelationSql(ctx, from);
  // column → the input that added it ('' for the base relation)
  const taken = new Map<string, string>((relationColumns(ctx, from) ?? []).map((c) => [c, '']));
  const selects = [`${q('b')}.*`];
  const clauses: string[] = [];
  joins.forEach((join, i) => {
    const input = lookupInput(ctx, join.input);
    if (!input) return;
    const alias = q(`j${i + 1}`);
    if (!checkColumns(ctx, input, [...Object.keys(join.on), ...join.columns])) return;
    if (!checkBaseColumns(ctx, from, Object.values(join.on))) return;
    for (const col of join.columns) {
      const owner = taken.get(col);
      if (owner !== undefined) {
        ctx.report.error('column-clash', { model: ctx.model.name, column: col, input: input.name, ...(owner ? { takenBy: owner } : {}) }, ctx.model.loc);
        continue;
      }
      taken.set(col, input.name);
      selects.push(`${alias}.${q(col)} as ${q(col)}`);
    }
    const on = Object.entries(join.on).map(([inputCol, baseCol]) => `${alias}.${q(inputCol)} = ${q('b')}.${q(baseCol)}`);
    clauses.push(`left join ${inputRelationSql(ctx, input, { columns: [...Object.keys(join.on), ...join.columns] })} as ${alias} on ${on.join(' and ')}`);
  });
  if (base === undefined) return undefined;
  return `select ${selects.join(', ')} from ${base} as ${q('b')} ${clauses.join(' ')}`.trimEnd();
}

/** True when every named column exists in the input; records `unknown-column` otherwise. */
export function checkColumns(ctx: RenderContext, input: InputTable, columns: string[]): boolean {
  const known = new Set(input.columns.map((c) => c.name));
  const missing = [...new Set(columns.filter((c) => !known.has(c)))];
  for (const col of missing) {
    ctx.report.error('unknown-column', { as: 'input-column', model: ctx.model.name, input: input.name, column: col }, ctx.model.loc);
  }
  return missing.length === 0;
}

/** True when a model lists at least one column; records `model-no-columns` otherwise. */
export function requireColumns(ctx: RenderContext, columns: string[]): boolean {
  if (columns.length > 0) return true;
  ctx.report.error('model-no-columns', { model: ctx.model.name, kind: ctx.model.body.kind }, ctx.model.loc);
  return false;
}

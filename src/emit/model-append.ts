import type { Relation } from '../ir/types.js';
import { baseRelationSql, inputRelationSql, lookupInput } from './relations.js';
import { checkColumns, requireColumns } from './model-enrich.js';
import { checkBaseColumns } from './model-columns.js';
import type { RenderContext } from './render-context.js';

/** append: the listed columns of the base rows, then of the input rows, with `_origin` = `source` | `input`. */
export function renderAppend(ctx: RenderContext, from: Relation, inputName: string, columns: string[]): string | undefined {
  const { dialect: d } = ctx;
  const q = (n: string) => d.quoteIdent(n);
  if (!requireColumns(ctx, columns)) return undefined;
  const base = baseRelationSql(ctx, from);
  const input = lookupInput(ctx, inputName);
  if (!input || !checkColumns(ctx, input, columns) || !checkBaseColumns(ctx, from, columns) || base === undefined) return undefined;
  const list = (alias: string) => columns.map((c) => `${q(alias)}.${q(c)}`).join(', ');
  return (
    `select ${list('b')}, ${d.literal('source')} as ${q('_origin')} from ${base} as ${q('b')} ` +
    `union all ` +
    `select ${list('i')}, ${d.literal('input')} as ${q('_origin')} from ${inputRelationSql(ctx, input, { columns })} as ${q('i')}`
  );
}

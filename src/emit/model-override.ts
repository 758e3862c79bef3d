import type { Relation } from '../ir/types.js';
import { baseRelationSql, inputRelationSql, lookupInput } from './relations.js';
import { checkColumns, requireColumns } from './model-enrich.js';
import { checkBaseColumns, relationColumns } from './model-columns.js';
import type { RenderContext } from './render-context.js';

/**
 * override: each listed column takes the input's value where the input row has *set* it
 * (an explicit null is a value), else the base value; `_overridden` lists the overridden
 * column names, comma-separated (null when none).
 *
 * The other base columns pass through. In order of preference: `* replace (…)` (keeps
 * column order), an explicit column list when the base columns are known, `* exclude (…)`
 * followed by the overridden columns; otherwise the model cannot be rendered for the dialect.
 */
export function renderOverride(ctx: RenderContext, from: Relation, inputName: string, on: Record<string, string>, columns: string[]): string | undefined {
  const { dialect: d } = ctx;
  const q = (n: string) => d.quoteIdent(n);
  if (!requireColumns(ctx, columns)) return undefined;
  const base = baseRelationSql(ctx, from);
  const input = lookupInput(ctx, inputName);
  if (!input || !checkColumns(ctx, input, [...Object.keys(on), ...columns])) return undefined;
  if (!checkBaseColumns(ctx, from, [...Object.values(on), ...columns])) return undefined;
  const isSet = (col: string) => d.strContains(`${q('o')}.${q('_set_columns')}`, d.literal(`|${col}|`));
  const value = (col: string) => `case when ${isSet(col)} then ${q('o')}.${q(col)} else ${q('b')}.${q(col)} end`;
  const [only] = columns;
  const [empty, comma] = [d.literal(''), d.literal(',')];
  const overridden =
    columns.length === 1 && only !== undefined
      ? `case when ${isSet(only)} then ${d.literal(only)} end`
      : `nullif(rtrim(${columns.map((c) => `case when ${isSet(c)} then ${d.literal(`${c},`)} else ${empty} end`).join(' || ')}, ${comma}), ${empty})`;
  const replaced = new Map(columns.map((c) => [c, `${value(c)} as ${q(c)}`]));
  const selects = passThrough(ctx, from, columns, replaced);
  if (!selects || base === undefined) return undefined;
  const join = Object.entries(on).map(([inputCol, baseCol]) => `${q('o')}.${q(inputCol)} = ${q('b')}.${q(baseCol)}`);
  return (
    `select ${[...selects, `${overridden} as ${q('_overridden')}`].join(', ')} ` +
    `from ${base} as ${q('b')} left join ${inputRelationSql(ctx, input, { setColumns: true, columns: [...Object.keys(on), ...columns] })} as ${q('o')} on ${join.join(' and ')}`
  );
}

/** The select list for the base columns with the overridden ones replaced, per the dialect's powers (also used by model-by-scenario.ts). */
export function passThrough(ctx: RenderContext, from: Relation, columns: string[], replaced: Map<string, string>): string[] | undefined {
  const { dialect: d } = ctx;
  const star = `${d.quoteIdent('b')}.*`;
  if (d.supportsStarReplace) return [`${star} replace (${[...replaced.values()].join(', ')})`];
  const known = relationColumns(ctx, from);
  if (known) {
    return known.map((c) => replaced.get(c) ?? `${d.quoteIdent('b')}.${d.quoteIdent(c)}`);
  }
  if (d.starExcludeKeyword) {
    return [`${star} ${d.starExcludeKeyword} (${columns.map((c) => d.quoteIdent(c)).join(', ')})`, ...replaced.values()];
  }
  ctx.report.error('override-unsupported', { model: ctx.model.name, dialect: d.name }, ctx.model.loc);
  return undefined;
}

import type { SqlValue } from '../adapters/adapter.js';
import type { Actor } from '../auth/actor.js';
import { rowScope, type Placement } from '../auth/row-filter.js';
import type { InputTable } from '../ir/types.js';
import type { SqlNames } from '../managed/sql-names.js';
import { scenarioRowsSql } from './state-relation.js';

/** Most across values read from a source column (as a column's source values). */
export const MAX_ACROSS_VALUES = 5000;

/**
 * A select of the across values of a planning table, one row each in a column named as the across
 * column (of its type): the declared values as bound parameters, or the distinct non-null values
 * of `across.values.source` (ordered, at most {@link MAX_ACROSS_VALUES}). Parameters are pushed
 * onto `params`; numbered, so the select may be placed anywhere in the statement.
 */
export function acrossValuesSql(names: SqlNames, input: InputTable, params: SqlValue[]): string {
  const d = names.dialect;
  const q = (c: string) => d.quoteIdent(c);
  const planning = input.planning!;
  const across = planning.across.column;
  const type = d.columnType(input.columns.find((c) => c.name === across)!.type);
  const from = planning.across.source;
  if (from) {
    const col = `x.${q(from.column)}`;
    return `select * from (select distinct cast(${col} as ${type}) as ${q(across)} from ${names.source(from.source, from.table)} x where ${col} is not null order by 1 ${d.limitClause(params, MAX_ACROSS_VALUES)}) av`;
  }
  return planning.across.values
    .map((value) => {
      params.push(value);
      return `select cast(${d.param(params.length)} as ${type}) as ${q(across)}`;
    })
    .join(' union all ');
}

/**
 * SQL of the rows a planner sees in one scenario of an input table with `planning:`: the
 * scenario's rows (as `scenarioRowsSql`) full-joined on the key with the template rows — each row
 * of the linked source within `actor`'s row filter × each across value (`acrossValuesSql`). A key
 * that has a row keeps it; a template key with no row comes back with null user columns other
 * than its key, `_version` 0, null `_updated_by`/`_updated_at` and `_template` true (stored rows
 * have `_template` false). Nothing is written: a template row exists only in this relation.
 *
 * The relation has the columns of `scenarioRowsSql` plus `_template`, so it replaces it in any
 * read; the caller still applies the row scope on it (`rowScope(...).where(..., onInputRows(...))`)
 * as for stored rows — the template side is restricted here too, so its cross product stays within
 * the caller's rows. A table without `planning:` gives its stored rows with `_template` false.
 * Parameters are pushed onto `params` in text order.
 */
export function planningRelationSql(
  names: SqlNames,
  input: InputTable,
  scenarioOrChain: string | readonly string[],
  actor: Actor | undefined,
  params: SqlValue[],
  asOf?: Date,
): string {
  const d = names.dialect;
  const q = (c: string) => d.quoteIdent(c);
  const typeOf = (name: string) => d.columnType(input.columns.find((c) => c.name === name)!.type);
  const stored = scenarioRowsSql(names, input, scenarioOrChain, params, asOf);
  const planning = input.planning;
  const link = input.linksTo;
  if (!planning || !link) return `(select v.*, false as ${q('_template')} from ${stored} v)`;

  const scenario = typeof scenarioOrChain === 'string' ? scenarioOrChain : scenarioOrChain[0]!;
  const across = planning.across.column;
  const acrossRows = acrossValuesSql(names, input, params);
  params.push(scenario);
  const templateCols = [
    ...Object.entries(link.on).map(([ic, sc]) => `cast(s.${q(sc)} as ${typeOf(ic)}) as ${q(ic)}`),
    `a.${q(across)}`,
    `cast(${d.param(params.length)} as ${d.columnType({ kind: 'system', type: 'string' })}) as ${q('_scenario')}`,
  ];
  // a filter on an input column that is neither linked nor the across column holds null on a template row: it never passes
  const place: Placement = (f, matches) => {
    if (f.onSource) return matches(`s.${q(f.column)}`);
    if (f.column in link.on) return matches(`s.${q(link.on[f.column]!)}`);
    if (f.column === across) return matches(`a.${q(across)}`);
    return '1 = 0';
  };
  const where = rowScope(input, actor).where(d, params, place) ?? ['1 = 0'];
  const template =
    `(select ${templateCols.join(', ')} from ${names.source(link.source, link.table)} s cross join (${acrossRows}) a` +
    `${where.length > 0 ? ` where ${where.join(' and ')}` : ''})`;

  const k0 = q(input.key[0]!);
  const cols = [
    ...input.columns.map((c) => (input.key.includes(c.name) ? `coalesce(v.${q(c.name)}, t.${q(c.name)}) as ${q(c.name)}` : `v.${q(c.name)}`)),
    `coalesce(v.${q('_scenario')}, t.${q('_scenario')}) as ${q('_scenario')}`,
    `coalesce(v.${q('_version')}, 0) as ${q('_version')}`,
    `v.${q('_updated_by')}`,
    `v.${q('_updated_at')}`,
    `v.${k0} is null as ${q('_template')}`,
  ];
  const on = input.key.map((k) => `v.${q(k)} = t.${q(k)}`).join(' and ');
  return `(select ${cols.join(', ')} from ${stored} v full join ${template} t on ${on})`;
}

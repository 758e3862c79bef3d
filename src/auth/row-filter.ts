import type { SqlValue } from '../adapters/adapter.js';
import type { Dialect } from '../dialects/dialect.js';
import type { InputTable, RowFilter } from '../ir/types.js';
import type { SqlNames } from '../managed/sql-names.js';
import type { Actor } from './actor.js';
import { isAdmin } from './permissions.js';

/**
 * The row filter: which rows of an input table an actor may see and write. This module is the
 * only place that reads `row_filter:` declarations; every read, write and error path asks it,
 * either for SQL conditions (reads, exports, context, history, pending changes, promote) or for
 * an in-memory decision (the write path, inside its transaction). A row outside the scope must
 * look, to that actor, exactly like a row that does not exist.
 *
 * A filter compares the text of one column with one of the actor's attributes: a column of the
 * input (`region: user.region`) or of the source it links to (`source.region: user.region`).
 * An actor without the attribute sees no row.
 */

/** One filter with the actor's value for it (undefined: the actor lacks the attribute, so nothing passes). */
export interface BoundFilter {
  readonly filter: RowFilter;
  readonly value: string | undefined;
}

/**
 * Where a filter's column is in the relation being filtered: the condition that the column
 * `matches` the actor's value, or undefined when the relation has no such column (then the scope
 * cannot be placed on it and nothing may be read).
 */
export type Placement = (f: RowFilter, matches: (expr: string) => string) => string | undefined;

/** A filter no row passes: the scope of a role the table grants nothing. */
const NOTHING: BoundFilter = { filter: { column: '', onSource: false, attribute: '' }, value: undefined };

/** The rows of one input table an actor (and, for an approval, its reviewer) may see and write. */
export class RowScope {
  constructor(
    readonly input: InputTable,
    readonly filters: readonly BoundFilter[],
  ) {}

  /** True when no filter applies (an administrator, or roles without row filters). */
  get unrestricted(): boolean {
    return this.filters.length === 0;
  }

  /** The filters on the input's own columns. */
  get onInput(): readonly BoundFilter[] {
    return this.filters.filter((b) => !b.filter.onSource);
  }

  /** The filters on the linked source's columns. */
  get onSource(): readonly BoundFilter[] {
    return this.filters.filter((b) => b.filter.onSource);
  }

  /**
   * SQL conditions (to AND into a WHERE) keeping only the rows in scope, with every value a bound
   * parameter pushed onto `params`; undefined when `place` cannot put some filter on the relation.
   */
  where(d: Dialect, params: SqlValue[], place: Placement): string[] | undefined {
    const str = d.columnType({ kind: 'system', type: 'string' });
    const conditions: string[] = [];
    for (const bound of this.filters) {
      if (bound === NOTHING) return ['1 = 0'];
      const { filter, value } = bound;
      const condition = place(filter, (expr) => {
        if (value === undefined) return '1 = 0';
        params.push(value);
        return `cast(${expr} as ${str}) = ${d.param(params.length)}`;
      });
      if (condition === undefined) return undefined;
      conditions.push(condition);
    }
    return conditions;
  }

  /**
   * The filters a row fails, given the text of the value each filter reads (`valueOf`: the row's
   * column for input filters, its linked source row's column for source filters; undefined when
   * not known, which fails). `only` restricts the check to one kind of filter.
   */
  failing(valueOf: (f: RowFilter) => string | null | undefined, only?: 'input' | 'source'): BoundFilter[] {
    return this.filters.filter(({ filter, value }) => (only === undefined || filter.onSource === (only === 'source')) && (value === undefined || valueOf(filter) !== value));
  }

  /** Whether a row is in scope (see `failing`). */
  admits(valueOf: (f: RowFilter) => string | null | undefined, only?: 'input' | 'source'): boolean {
    return this.failing(valueOf, only).length === 0;
  }
}

/** Whether some role's row filter on `input` reads one of the input's own columns. */
export function filtersInputColumns(input: InputTable): boolean {
  return Object.values(input.permissions).some((p) => p.rowFilter.some((f) => !f.onSource));
}

/**
 * The scope of `actor` on `input`; with `also`, rows must be in both actors' scopes (an approval:
 * proposer and approver). A role the table grants nothing sees no row.
 */
export function rowScope(input: InputTable, actor: Actor | undefined, also?: Actor): RowScope {
  const bound = (a: Actor | undefined): BoundFilter[] => {
    if (isAdmin(a)) return [];
    const grant = Object.hasOwn(input.permissions, a!.role!) ? input.permissions[a!.role!] : undefined;
    if (!grant) return [NOTHING];
    return grant.rowFilter.map((filter) => ({
      filter,
      value: a!.attributes && Object.hasOwn(a!.attributes, filter.attribute) ? a!.attributes[filter.attribute] : undefined,
    }));
  };
  return new RowScope(input, [...bound(actor), ...bound(also)]);
}

/**
 * Filters placed on a relation with the input's columns (`alias`: its state, log, or a scenario's
 * resolved rows): input columns directly, source columns through the link (`exists` over the source).
 */
export function onInputRows(input: InputTable, names: SqlNames, alias: string): Placement {
  const q = (c: string) => names.dialect.quoteIdent(c);
  const str = names.dialect.columnType({ kind: 'system', type: 'string' });
  return (f, matches) => {
    if (!f.onSource) return matches(`${alias}.${q(f.column)}`);
    const link = input.linksTo;
    if (!link) return undefined;
    const on = Object.entries(link.on)
      .map(([ic, sc]) => `cast(s.${q(sc)} as ${str}) = cast(${alias}.${q(ic)} as ${str})`)
      .join(' and ');
    return `exists (select 1 from ${names.source(link.source, link.table)} s where ${on} and ${matches(`s.${q(f.column)}`)})`;
  };
}

/**
 * Filters placed on the linked source's rows (`alias`): source columns directly, and input
 * columns the link maps onto a source column; any other input column cannot be placed.
 */
export function onSourceRows(input: InputTable, dialect: Dialect, alias: string): Placement {
  const link = input.linksTo;
  return (f, matches) => {
    const column = f.onSource ? f.column : link?.on[f.column];
    return column === undefined ? undefined : matches(`${alias}.${dialect.quoteIdent(column)}`);
  };
}

/**
 * Filters placed on output columns (a model's view): `columnOf(f)` names the column holding the
 * filtered value, or undefined when the output has none.
 */
export function onOutputColumns(dialect: Dialect, alias: string, columnOf: (f: RowFilter) => string | undefined): Placement {
  return (f, matches) => {
    const column = columnOf(f);
    return column === undefined ? undefined : matches(`${alias}.${dialect.quoteIdent(column)}`);
  };
}

import type { SqlValue } from '../adapters/adapter.js';
import type { InputTable, RowFilter } from '../ir/types.js';
import type { SqlNames } from '../managed/sql-names.js';
import type { Actor } from './actor.js';
import type { WriteError } from '../rules/outcome.js';

/** What an actor wants to do with an input table. */
export type Permission = 'read' | 'write' | 'delete' | 'approve';

/** True when the actor is an administrator (no role: CLI, warehouse credentials). */
export function isAdmin(actor: Actor | undefined): boolean {
  return actor === undefined || actor.role === undefined;
}

/** `forbidden` when the actor's role may not `what` on `input`; undefined when allowed. */
export function checkPermission(input: InputTable, actor: Actor | undefined, what: Permission): WriteError | undefined {
  if (isAdmin(actor)) return undefined;
  const role = actor!.role!;
  const grant = Object.hasOwn(input.permissions, role) ? input.permissions[role] : undefined;
  if (grant?.[what]) return undefined;
  return {
    code: 'forbidden',
    message: `role '${role}' may not ${what} ${input.name}${grant ? '' : ' (the table grants it nothing)'}`,
    details: [],
  };
}

/** The row filters that bind this actor on `input` (none for an administrator or a role without filters). */
export function rowFilters(input: InputTable, actor: Actor | undefined): RowFilter[] {
  if (isAdmin(actor)) return [];
  return input.permissions[actor!.role!]?.rowFilter ?? [];
}

/** The actor's value of a filter's attribute (undefined when the actor lacks it: nothing passes). */
export function attributeValue(actor: Actor | undefined, filter: RowFilter): string | undefined {
  const attrs = actor?.attributes;
  return attrs && Object.hasOwn(attrs, filter.attribute) ? attrs[filter.attribute] : undefined;
}

/**
 * SQL conditions (to AND into a WHERE) that restrict rows of `alias` (a relation with the input's
 * columns) to what the actor may see. Attribute values are pushed onto `params` as bound parameters.
 * A filter on a linked-source column becomes `exists (select 1 from <source> …)`.
 */
export function readFilterConditions(input: InputTable, actor: Actor | undefined, names: SqlNames, alias: string, params: SqlValue[]): string[] {
  const d = names.dialect;
  const conditions: string[] = [];
  for (const f of rowFilters(input, actor)) {
    const value = attributeValue(actor, f);
    if (value === undefined) {
      conditions.push('1 = 0');
      continue;
    }
    params.push(value);
    const p = d.param(params.length);
    const str = d.columnType({ kind: 'system', type: 'string' });
    if (!f.onSource) {
      conditions.push(`cast(${alias}.${d.quoteIdent(f.column)} as ${str}) = ${p}`);
      continue;
    }
    const link = input.linksTo;
    if (!link) throw new Error(`row filter on a source column of ${input.name}, which links to no source`);
    const on = Object.entries(link.on)
      .map(([ic, sc]) => `cast(s.${d.quoteIdent(sc)} as ${str}) = cast(${alias}.${d.quoteIdent(ic)} as ${str})`)
      .join(' and ');
    conditions.push(
      `exists (select 1 from ${names.source(link.source, link.table)} s where ${on} and cast(s.${d.quoteIdent(f.column)} as ${str}) = ${p})`,
    );
  }
  return conditions;
}

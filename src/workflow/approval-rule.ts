import type { ApprovalCondition, InputColumn, InputTable } from '../ir/types.js';
import { compareValues } from '../rules/column-rules.js';
import type { ParsedRow } from '../write/row-schema.js';
import type { Actor } from '../auth/actor.js';
import type { Canonical } from '../rules/wire-values.js';

/** True when `value` (canonical) meets the condition (every given comparison holds). */
export function conditionHolds(col: InputColumn, cond: ApprovalCondition, value: Canonical): boolean {
  if (value === null) return false;
  const cmp = (bound: number | string) => compareValues(col, value, typeof bound === 'number' ? String(bound) : bound);
  const str = (v: unknown) => (typeof v === 'boolean' ? String(v) : String(v));
  if (cond.gt !== undefined && !(cmp(cond.gt) > 0)) return false;
  if (cond.gte !== undefined && !(cmp(cond.gte) >= 0)) return false;
  if (cond.lt !== undefined && !(cmp(cond.lt) < 0)) return false;
  if (cond.lte !== undefined && !(cmp(cond.lte) <= 0)) return false;
  if (cond.eq !== undefined && !(cond.eq !== null && cmp(str(cond.eq)) === 0)) return false;
  if (cond.ne !== undefined && cond.ne !== null && cmp(str(cond.ne)) === 0) return false;
  if (cond.in !== undefined && !cond.in.some((v) => cmp(str(v)) === 0)) return false;
  return true;
}

/**
 * Does this write need approval? Never for the administrator (no role); only for the roles in
 * `required_for` when given; and, with `when`, only when a written row sets a column to a value
 * that meets its condition (a delete needs approval only when there is no `when`).
 */
export function needsApproval(input: InputTable, actor: Actor, op: 'upsert' | 'delete' | 'reset', rows: readonly ParsedRow[]): boolean {
  const rule = input.approval;
  if (!rule || actor.role === undefined) return false;
  if (rule.requiredFor && !rule.requiredFor.includes(actor.role)) return false;
  if (!rule.when) return true;
  if (op !== 'upsert') return false;
  const conds = Object.entries(rule.when).flatMap(([name, cond]) => {
    const col = input.columns.find((c) => c.name === name);
    return col ? [{ col, cond }] : [];
  });
  return rows.some((r) => conds.some(({ col, cond }) => col.name in r.values && conditionHolds(col, cond, r.values[col.name] ?? null)));
}

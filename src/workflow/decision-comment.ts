import type { InputTable } from '../ir/types.js';
import { valueChecker } from '../rules/column-rules.js';
import type { Canonical } from '../rules/wire-values.js';
import type { CurrentRow } from '../write/write-request.js';
import { stateKey } from '../write/write-request.js';
import type { PendingChange } from './pending-store.js';

/** Rows named in a decision's comment before "and N more rows". */
export const ROWS_NAMED = 3;

/** The canonical key of a row as sent (the form the state is keyed by). */
export function canonicalKey(input: InputTable, row: Record<string, unknown>): Canonical[] {
  return input.key.map((k) => {
    const col = input.columns.find((c) => c.name === k)!;
    const checked = valueChecker({ type: col.type })(row[k] ?? null);
    return checked.ok ? checked.value : String(row[k]);
  });
}

const shown = (v: unknown): string => (v === null || v === undefined ? 'empty' : String(v));

/**
 * The comment logged with a decision's entries, for people reading the history: what was decided
 * (table, key, each column old → new, or the deletion), who proposed it and when, then the
 * reviewer's comment. `before`: the rows as they are now, keyed by `stateKey(scenario, key)`. The
 * change's id is not in the text: it is the entries' request id (`approve:<id>` / `reject:<id>`).
 */
export function decisionComment(input: InputTable, change: PendingChange, status: 'approved' | 'rejected', comment: string, before: ReadonlyMap<string, CurrentRow>): string {
  const rows = change.rows.slice(0, ROWS_NAMED).map((row) => {
    const key = canonicalKey(input, row);
    const label = key.map(shown).join(' · ');
    if (change.op === 'delete') return `deletion of ${label}`;
    const current = before.get(stateKey(change.scenario, key));
    const changes = input.columns
      .filter((c) => !input.key.includes(c.name) && Object.hasOwn(row, c.name))
      .map((c) => `${c.name} ${current ? shown(current.values[input.columns.indexOf(c)]) : 'new'} → ${shown(row[c.name])}`);
    return changes.length > 0 ? `${label}: ${changes.join(', ')}` : label;
  });
  const more = change.rows.length - ROWS_NAMED;
  const what = `${rows.join('; ')}${more > 0 ? `; and ${more} more ${more === 1 ? 'row' : 'rows'}` : ''}`;
  const where = change.scenario === 'base' ? input.name : `${input.name} (scenario ${change.scenario})`;
  const verb = status === 'approved' ? 'Approved' : 'Rejected';
  return `${verb} ${where} ${what} — proposed by ${change.proposedBy} at ${change.proposedAt}. ${status === 'approved' ? 'Approval' : 'Rejection'} comment: ${comment}`;
}

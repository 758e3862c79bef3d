import type { InputTable } from '../ir/types.js';
import type { ParsedRow } from '../write/row-schema.js';
import type { Actor, ErrorDetail } from '../write/types.js';
import type { Canonical } from '../rules/wire-values.js';
import type { CurrentRow } from '../write/write-request.js';

/** Problems of a write against the `transitions:` of its enum columns. */
export interface TransitionProblems {
  /** Undeclared moves (→ 422 `validation_failed`); each detail names `from` and `to`. */
  invalid: ErrorDetail[];
  /** Declared moves that need another role (→ 403 `forbidden`). */
  forbidden: ErrorDetail[];
}

/**
 * Check every row that sets a column with `transitions:`: the move from the row's current value
 * (as seen in the written scenario; a new row has none and may start anywhere) to the new value
 * must be declared, and its role requirement met (the administrator may make any declared move).
 * A value, once set, cannot be cleared to null (the next write could then start anywhere).
 */
export function checkTransitions(
  input: InputTable,
  actor: Actor,
  rows: readonly ParsedRow[],
  positions: readonly number[],
  current: (row: number) => CurrentRow | undefined,
): TransitionProblems {
  const out: TransitionProblems = { invalid: [], forbidden: [] };
  const cols = input.columns.flatMap((c, i) => (c.transitions ? [{ c, i, t: c.transitions }] : []));
  if (cols.length === 0) return out;
  rows.forEach((row, r) => {
    const cur = current(r);
    for (const { c, i, t } of cols) {
      if (!(c.name in row.values)) continue;
      const to: Canonical = row.values[c.name] ?? null;
      const from: Canonical = cur && !cur.deleted ? (cur.values[i] ?? null) : null;
      if (from === null || from === to) continue;
      if (to === null) {
        // clearing the value would let the next write start anywhere: not a declared move
        out.invalid.push({ row: positions[r]!, column: c.name, message: `${c.name} cannot be cleared once set (it is '${from}')`, from, to: null });
        continue;
      }
      const move = (t[from] ?? []).find((m) => m.to === to);
      const allowed = (t[from] ?? []).map((m) => m.to);
      if (!move) {
        out.invalid.push({
          row: positions[r]!,
          column: c.name,
          message: `${c.name} cannot go from '${from}' to '${to}'${allowed.length ? ` (from '${from}' it may go to ${allowed.map((a) => `'${a}'`).join(', ')})` : ` ('${from}' is final)`}`,
          from,
          to,
        });
      } else if (move.roles && actor.role !== undefined && !move.roles.includes(actor.role)) {
        out.forbidden.push({ row: positions[r]!, column: c.name, message: `moving ${c.name} from '${from}' to '${to}' needs role ${move.roles.join(' or ')}`, from, to });
      }
    }
  });
  return out;
}

/**
 * What a log entry records. `upsert`, `delete` and `reset` change the state (STATE_OPS);
 * `propose_upsert` / `propose_delete` record a write waiting for approval (its values are the
 * row as it would be, the state is untouched) and `reject` the rejection of one.
 * An approval is logged as the `upsert`/`delete` entries it applies.
 */
export type LogOp = 'upsert' | 'delete' | 'reset' | 'propose_upsert' | 'propose_delete' | 'reject';

/** Entries that change the state; replays, state upserts and the history view read only these. */
export const STATE_OPS: readonly LogOp[] = ['upsert', 'delete', 'reset'];

/** `_op in ('upsert', 'delete', 'reset')` on a column expression (the ops are constants, not user values). */
export function stateOpCondition(opColumn: string): string {
  return `${opColumn} in (${STATE_OPS.map((op) => `'${op}'`).join(', ')})`;
}

/** A log op read back from the warehouse (unknown text is kept as is, so a tampered op fails the hash check). */
export function logOpFromDb(value: unknown): LogOp {
  return String(value) as LogOp;
}

import type { InputTable } from '../ir/types.js';
import type { ParsedRow } from './row-schema.js';
import type { Actor } from '../auth/actor.js';
import type { WriteResult } from './types.js';
import type { Canonical } from '../rules/wire-values.js';

/** Something a policy asked to commit with a request (see WritePolicy): plain data, carried by the write path unread. */
export interface WriteEffect {
  readonly kind: string;
}

/** A validated request waiting in a table's queue. */
export interface PreparedRequest {
  /**
   * `reset`: remove a scenario's override of the keys, so they follow the parent again.
   * `reject`: log the rejection of a pending change of these keys (state untouched, no checks).
   */
  op: 'upsert' | 'delete' | 'reset' | 'reject';
  input: InputTable;
  scenario: string;
  actor: Actor;
  comment: string | null;
  requestId: string | null;
  /** The request id as stored in `_wb_idempotency` (scoped to the user, see `scopedIdempotencyKey`). */
  idempotencyKey: string | null;
  /** sha256 of the canonical request, when it has a request id. */
  payloadHash: string | null;
  dryRun: boolean;
  rows: ParsedRow[];
  /** Canonical key tuple of each row. */
  keys: Canonical[][];
  /**
   * The scenario's fall-back chain (itself … `base`), set when the decision needs each key's row
   * as seen through it: status transitions, and deletes in a scenario (hiding a key that only an
   * ancestor has). Every level is read inside the write transaction.
   */
  chain?: readonly string[];
  /** Log the entries as a proposal (`propose_upsert` / `propose_delete`): validated and checked like a write, state untouched. */
  propose?: boolean;
  /** `_user` of the entries when it is not the actor: an approval is checked as its proposer and logged as its approver. */
  loggedBy?: string;
  /** An approval: the approver, whose row filters must hold too (they may approve only rows they may see). */
  reviewer?: Actor;
  /** Effects a policy asked to commit with this request's entries (plain data; see WritePolicy). */
  effects: WriteEffect[];
  /** The write of an approved change: the approval rule was applied when it was proposed. */
  approved?: boolean;
}

/** The current state of one (scenario, key), as read in the write transaction or left by an earlier request of the group. */
export interface CurrentRow {
  version: number;
  deleted: boolean;
  /** Canonical user values in `input.columns` order. */
  values: Canonical[];
  /** `|a|b|` of the columns set on the row (null when none). */
  setColumns: string | null;
  updatedBy: string;
  updatedAtMs: number;
  /**
   * A tombstone's values before its delete (in `input.columns` order), read from the delete's log
   * entry where the input has row filters on its own columns: the scope of the row it deleted.
   */
  deletedValues?: Canonical[];
}

/**
 * Map key of a (scenario, key tuple): one-to-one. A scenario name holds no NUL (src/rules/scenario-name.js),
 * so it ends at the first; a one-column key follows as `s<value>` (or `n` for null) — the common case,
 * built without an array or JSON — and a longer key as the JSON of the tuple.
 */
export function stateKey(scenario: string, key: Canonical[]): string {
  if (key.length === 1) {
    const k = key[0];
    return k === null || k === undefined ? `${scenario}\u0000n` : `${scenario}\u0000s${k}`;
  }
  return `${scenario}\u0000${JSON.stringify(key)}`;
}

/** A rejected result. */
export type Rejected = Extract<WriteResult, { ok: false }>;

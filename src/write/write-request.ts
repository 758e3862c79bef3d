import type { Adapter } from '../adapters/adapter.js';
import type { InputTable } from '../ir/types.js';
import type { ParsedRow } from './row-schema.js';
import type { SqlNames } from '../managed/sql-names.js';
import type { Actor } from '../auth/actor.js';
import type { WriteResult, WrittenEntry } from './types.js';
import type { Canonical } from '../rules/wire-values.js';

/** A validated request waiting in a table's queue. */
export interface PreparedRequest {
  /**
   * `reset` (issue 5): remove a scenario's override of the keys, so they follow the parent again.
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
  /**
   * Statements that must commit with this request's entries (pending-change records and
   * decisions), run inside the transaction once the request is decided. Returning a result
   * replaces the request's result; a failed one drops its entries (nothing of it is written).
   */
  alongside?: (tx: Adapter, names: SqlNames, entries: WrittenEntry[], at: string) => Promise<WriteResult | undefined>;
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
}

/** Add statements to commit with a request (after those already there; a failed result of one stops the next). */
export function addAlongside(req: PreparedRequest, more: NonNullable<PreparedRequest['alongside']>): void {
  const first = req.alongside;
  req.alongside = first
    ? async (tx, names, entries, at) => {
        const result = await first(tx, names, entries, at);
        if (result && !result.ok) return result;
        return (await more(tx, names, entries, at)) ?? result;
      }
    : more;
}

/** Map key of a (scenario, key tuple). */
export function stateKey(scenario: string, key: Canonical[]): string {
  return JSON.stringify([scenario, ...key]);
}

/** A rejected result. */
export type Rejected = Extract<WriteResult, { ok: false }>;

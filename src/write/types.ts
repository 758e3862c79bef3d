/**
 * Public types of the write path: options, results and errors. Plain JSON-shaped data
 * (the server sends them as they are). Expected failures are values, never thrown.
 */

import type { LogOp } from '../managed/log-ops.js';

import type { Actor } from '../auth/actor.js';
import type { ErrorDetail, Outcome } from '../rules/outcome.js';
import type { WireValue } from '../rules/wire-values.js';

export type { Actor, WireValue };
export { HTTP_STATUS, type ErrorDetail, type Outcome, type WriteError, type WriteErrorCode } from '../rules/outcome.js';

/** One row as sent by a client: user columns, plus optionally `_version` (the version it was based on; 0 = must not exist yet). */
export type WireRow = Record<string, unknown>;

/** Options of `write` and `delete`. */
export interface WriteOptions extends Actor {
  /** Scenario written; default `base`. Only `base` for tables without `scenarios: true`. */
  scenario?: string;
  /** Free text stored with every entry of the batch. */
  comment?: string;
  /** Idempotency key: a retry with the same id returns the first result and writes nothing twice. */
  requestId?: string;
  /** Validate, authorize and check conflicts, then roll back: the result says what would be written. */
  dryRun?: boolean;
}

/** One log entry written by a batch. */
export interface WrittenEntry {
  /** UUIDv7 of the log entry; null for an `unchanged` row (nothing was logged). */
  entryId: string | null;
  key: Record<string, WireValue>;
  /** The row's `_version` after this entry (an `unchanged` row's current one). */
  version: number;
  /**
   * `reset`: a scenario's override removed (the key follows the parent scenario again); `reject`: a
   * pending change rejected; `unchanged`: the row already held every value sent (and had each column
   * set), so nothing was logged and its version stays.
   */
  op: 'upsert' | 'delete' | 'reset' | 'reject' | 'unchanged';
}

/** Result of `write` / `delete`. */
export type WriteResult = Outcome<{
  entries: WrittenEntry[];
  /** Time recorded on every entry of the batch (ISO `Z`, millisecond precision). */
  at: string;
  /** True when this is the stored result of an earlier request with the same `requestId`. */
  replayed: boolean;
  /** True for a dry run (nothing was written). */
  dryRun: boolean;
  /** Set when the write needs approval: it was logged as a proposal and recorded as a pending change, the state untouched. */
  pending?: { id: string; status: 'pending'; rows: number };
  /** A dry run of a write that would become a pending change (nothing would reach the state yet). */
  needsApproval?: true;
}>;

/** Options of `rows`. */
export interface ReadOptions {
  /** Scenario read (falls back to `base` for keys and columns it does not override); default `base`. */
  scenario?: string;
  /** Read the state as of this time (ISO 8601 string or Date), computed from the log. */
  asOf?: string | Date;
  /** Filters on user columns, values bound as parameters: a value (`=`, `null`: is null), or a list of them (any of them). */
  filter?: Record<string, WireValue | readonly WireValue[]>;
  /** Page size; default 1000, at most 10000. */
  limit?: number;
  /** Opaque cursor from the previous page's `nextCursor`. */
  cursor?: string;
  /** Reader; absent = administrator. A role's row filter becomes a WHERE clause with bound parameters. */
  actor?: Actor;
  /**
   * Also the table's template rows (`planning:`): keys of the linked source rows in the reader's
   * scope × the across values that have no row yet, with `_version` 0 and `_template: true`
   * (every row then carries `_template`). Nothing is written. A table without `planning:` is a bad request.
   */
  template?: boolean;
}

/** One state row as returned by `rows`: user columns in wire shape plus `_version`, `_updated_by`, `_updated_at`, `_scenario`. */
export type StateRow = Record<string, WireValue>;

/** Result of `rows`. */
export type ReadResult = Outcome<{ rows: StateRow[]; nextCursor: string | null }>;

/** Options of `history`. */
export interface HistoryOptions {
  /** Only entries of this key (all key columns, or a prefix of them). */
  key?: Record<string, WireValue>;
  /** Only entries written by this user. */
  user?: string;
  /** Only entries at or after this time. */
  since?: string | Date;
  /** Only this scenario (default: every scenario). */
  scenario?: string;
  /** At most this many entries, newest last; default 1000. */
  limit?: number;
  /** Reader; absent = administrator. Needs `read` on the table. */
  actor?: Actor;
}

/** One column changed by an entry: old → new, in wire shape. */
export interface ColumnChange {
  column: string;
  old: WireValue;
  new: WireValue;
}

/** One log entry as shown by `history`. */
export interface HistoryEntry {
  entryId: string;
  /** Position in the table's hash chain; null for a reader with a row filter (the chain also counts rows it may not see). */
  seq: number | null;
  /** See `LogOp`: `propose_*` entries are pending changes (their `changes` are what was proposed), `reject` a rejection. */
  op: LogOp;
  scenario: string;
  key: Record<string, WireValue>;
  version: number;
  /** Who wrote it: the stable user id (`<issuer>#<subject>` for people signed in through the identity provider). */
  user: string;
  /** Their display name from the users directory (`_wb_users`); null when unknown (tokens, CLI, dev user). */
  userName: string | null;
  /** Their e-mail address from the users directory; null when unknown. */
  userEmail: string | null;
  /** ISO `Z`. */
  at: string;
  requestId: string | null;
  comment: string | null;
  changes: ColumnChange[];
}

/** Result of `history`. */
export type HistoryResult = Outcome<{ entries: HistoryEntry[] }>;

/** One problem found by `verify`. */
export interface VerifyProblem {
  table: string;
  kind: 'state-drift' | 'broken-chain' | 'chain-head-mismatch';
  message: string;
  /** State drift: the key (and scenario) that differs. */
  key?: Record<string, WireValue>;
  scenario?: string;
  /** Broken chain: the log entry whose hash does not match. */
  entryId?: string;
  seq?: number;
}

/** Result of `verify`: ok when the state equals the log's replay and every chain is intact. */
export interface VerifyReport {
  ok: boolean;
  tables: { table: string; entries: number; stateRows: number }[];
  problems: VerifyProblem[];
}

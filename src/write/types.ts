/**
 * Public types of the write path: options, results and errors. Plain JSON-shaped data
 * (the server sends them as they are). Expected failures are values, never thrown.
 */

import type { LogOp } from '../managed/log-ops.js';

import type { WireValue } from '../rules/wire-values.js';

export type { WireValue };

/** One row as sent by a client: user columns, plus optionally `_version` (the version it was based on; 0 = must not exist yet). */
export type WireRow = Record<string, unknown>;

/** Error codes of the write path; the server maps them to HTTP statuses (in parentheses). */
export type WriteErrorCode =
  | 'validation_failed' // 422
  | 'conflict' // 409
  | 'forbidden' // 403
  | 'not_found' // 404
  | 'idempotency_key_reused' // 422
  | 'bad_request' // 400
  | 'payload_too_large' // 413
  | 'confirmation_required'; // 400 (issue 5: an action with `confirm: true`, a promote, without the confirmation)

/** HTTP status of each error code. */
export const HTTP_STATUS: Readonly<Record<WriteErrorCode, number>> = {
  validation_failed: 422,
  conflict: 409,
  forbidden: 403,
  not_found: 404,
  idempotency_key_reused: 422,
  bad_request: 400,
  payload_too_large: 413,
  confirmation_required: 400,
};

/** One problem of a request: `row` is the 0-based index in the batch, `column` the column name, where they apply. */
export interface ErrorDetail {
  row?: number;
  column?: string;
  message: string;
  /** Conflict: the key of the row. */
  key?: Record<string, WireValue>;
  /** Conflict: the row's current user values (null when deleted). */
  current?: Record<string, WireValue> | null;
  /** Conflict: the version the request was based on, and the current one. */
  expected_version?: number;
  _version?: number;
  /** Conflict: who changed the row last, and when (ISO `Z`). */
  _updated_by?: string;
  _updated_at?: string;
  [more: string]: unknown;
}

/** A failure as a value: `{ code, message, details }` (the server wraps it as `{"error": …}`). */
export interface WriteError {
  code: WriteErrorCode;
  message: string;
  details: ErrorDetail[];
}

/** Either a value or an expected failure. */
export type Outcome<T> = ({ ok: true } & T) | { ok: false; error: WriteError };

/** Who acts. `role` absent = administrator (CLI, warehouse credentials): every permission, no row filter. */
export interface Actor {
  /** Recorded as `_user`; set by the server/CLI, never taken from a row payload. */
  user: string;
  /** A role declared in project.yml; absent = administrator. */
  role?: string;
  /** User attributes referenced by row filters (`user.region` → `attributes.region`). */
  attributes?: Record<string, string>;
}

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
  /** UUIDv7 of the log entry. */
  entryId: string;
  key: Record<string, WireValue>;
  /** The row's `_version` after this entry. */
  version: number;
  /** `reset`: a scenario's override removed (the key follows the parent scenario again); `reject`: a pending change rejected. */
  op: 'upsert' | 'delete' | 'reset' | 'reject';
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
  /** Equality filters on user columns (values bound as parameters). */
  filter?: Record<string, WireValue>;
  /** Page size; default 1000, at most 10000. */
  limit?: number;
  /** Opaque cursor from the previous page's `nextCursor`. */
  cursor?: string;
  /** Reader; absent = administrator. A role's row filter becomes a WHERE clause with bound parameters. */
  actor?: Actor;
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
  seq: number;
  /** See `LogOp`: `propose_*` entries are pending changes (their `changes` are what was proposed), `reject` a rejection. */
  op: LogOp;
  scenario: string;
  key: Record<string, WireValue>;
  version: number;
  user: string;
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

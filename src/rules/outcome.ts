import type { WireValue } from './wire-values.js';

/**
 * Expected failures as values: the codes, their HTTP statuses and the `{ code, message, details }`
 * shape every layer returns (the server wraps it as `{"error": …}`). Never thrown.
 */

/** Error codes of the library (writes, reads, workflows); the server maps them to HTTP statuses (in parentheses). */
export type WriteErrorCode =
  | 'validation_failed' // 422
  | 'conflict' // 409
  | 'forbidden' // 403
  | 'not_found' // 404
  | 'idempotency_key_reused' // 422
  | 'bad_request' // 400
  | 'payload_too_large' // 413
  | 'confirmation_required' // 400 (an action with `confirm: true`, a promote, without the confirmation)
  | 'model_failed'; // 502 (a model's SQL failed in the warehouse when read: the request was fine)

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
  model_failed: 502,
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
  /** For the operator's log only, never sent to a client: what the message leaves out (e.g. the warehouse's own error text). */
  cause?: string;
}

/** Either a value or an expected failure. */
export type Outcome<T> = ({ ok: true } & T) | { ok: false; error: WriteError };

/** Build a failure value. */
export function failure(code: WriteErrorCode, message: string, details: ErrorDetail[] = []): { ok: false; error: WriteError } {
  return { ok: false, error: { code, message, details } };
}

/** How many rows of a batch the details name (several problems of one row count once). */
export function countRows(details: readonly ErrorDetail[]): number {
  return new Set(details.map((d) => d.row)).size;
}

import type { ErrorDetail, WriteErrorCode } from '../rules/outcome.js';

/** Error codes of the library's reads: the write path's, plus `model_failed` (a model's SQL failed in the warehouse). */
export type ReadErrorCode = WriteErrorCode | 'model_failed';

/** An expected failure of a read: `{ code, message, details }`. */
export interface ReadError {
  code: ReadErrorCode;
  message: string;
  details: ErrorDetail[];
}

/** Either a value or an expected failure of a read. */
export type ReadOutcome<T> = ({ ok: true } & T) | { ok: false; error: ReadError };

/** A failed read. */
export function readFailure(code: ReadErrorCode, message: string, details: ErrorDetail[] = []): { ok: false; error: ReadError } {
  return { ok: false, error: { code, message, details } };
}

import { type ErrorDetail, type WriteError, HTTP_STATUS } from '../rules/outcome.js';
import { RETRY_AFTER_SECONDS } from '../library/warehouse-unavailable.js';

/**
 * Error codes the HTTP layer produces besides the library's: `unauthorized`,
 * `unsupported_media_type`, `apply_required` (the warehouse is behind the project for this table
 * or model: run `writeback apply`), `unavailable` (shutting down), `internal` (a bug; logged).
 */
export type ServerErrorCode = 'unauthorized' | 'unsupported_media_type' | 'unavailable' | 'apply_required' | 'internal';

/** Every error code on the wire. */
export type ApiErrorCode = WriteError['code'] | ServerErrorCode;

/** The error body of every non-2xx response: `{"error": {"code", "message", "details": [...]}}`. */
export interface ApiErrorBody {
  error: { code: ApiErrorCode; message: string; details: ErrorDetail[] };
}

/** An error together with the HTTP status it is sent with. */
export interface ApiFailure {
  status: number;
  body: ApiErrorBody;
}

const SERVER_STATUS: Readonly<Record<ServerErrorCode, number>> = {
  unauthorized: 401,
  unsupported_media_type: 400,
  unavailable: 503,
  apply_required: 503,
  internal: 500,
};

/** Every error code on the wire (the OpenAPI document lists them per status). */
export const API_ERROR_CODES: readonly ApiErrorCode[] = [...(Object.keys(HTTP_STATUS) as WriteError['code'][]), ...(Object.keys(SERVER_STATUS) as ServerErrorCode[])].filter(
  (code, i, all) => all.indexOf(code) === i,
);

/** HTTP status of an error code. */
export function statusOf(code: ApiErrorCode): number {
  return code in HTTP_STATUS ? HTTP_STATUS[code as WriteError['code']] : SERVER_STATUS[code as ServerErrorCode];
}

/** Build a failure from a code, a message and optional details. */
export function apiError(code: ApiErrorCode, message: string, details: ErrorDetail[] = []): ApiFailure {
  return { status: statusOf(code), body: { error: { code, message, details } } };
}

/** Wrap an expected failure of the library. */
export function fromWriteError(error: { code: ApiErrorCode; message: string; details: ErrorDetail[] }): ApiFailure {
  return apiError(error.code, error.message, error.details);
}

/** Headers of a failure: `unavailable` (retrying may cure it) says when to retry. */
export function failureHeaders(failure: ApiFailure): Record<string, string> {
  return failure.body.error.code === 'unavailable' ? { 'retry-after': String(RETRY_AFTER_SECONDS) } : {};
}

/** A JSON response for a failure (used outside Hono's context too). */
export function failureResponse(failure: ApiFailure): Response {
  return new Response(JSON.stringify(failure.body), {
    status: failure.status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...failureHeaders(failure) },
  });
}

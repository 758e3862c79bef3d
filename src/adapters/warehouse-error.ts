/**
 * What a caller may do about a failed statement or transaction:
 * - `conflict`: another writer got there first (serialization failure, deadlock, concurrent
 *   update, a unique key the caller checked before inserting was taken meanwhile, the write
 *   path's chain-head compare-and-swap missed). The transaction was rolled back; deciding it again
 *   on fresh reads may succeed.
 * - `retryable`: the warehouse refused for now (lock-waiter limit, DML quota). Nothing was
 *   changed; the same transaction may succeed after a pause.
 * - `connection-lost`: the session is gone. Before COMMIT the transaction is rolled back; during
 *   COMMIT its outcome is unknown (`commitOutcomeUnknown`), so it is never retried blindly.
 */
export type WarehouseErrorKind = 'conflict' | 'retryable' | 'connection-lost';

/** Facts about a warehouse failure beyond its kind. */
export interface WarehouseErrorInfo {
  /** The SDK's code (Postgres SQLSTATE, Snowflake error code, BigQuery reason); absent where the SDK has none (DuckDB). */
  code?: string;
  /** The SDK's error. */
  cause?: unknown;
  /** The connection was lost while COMMIT was in flight: the transaction may or may not have committed. */
  commitOutcomeUnknown?: boolean;
}

/**
 * A warehouse failure the caller can act on, translated by the adapter from its SDK's error
 * (`<warehouse>/…-errors.ts`). The message is the warehouse's own. Nothing above `adapters/`
 * reads error message text: it asks `kind`. Other failures pass through as the SDK threw them.
 */
export class WarehouseError extends Error {
  override readonly name: string = 'WarehouseError';
  readonly code: string | undefined;
  readonly commitOutcomeUnknown: boolean;

  constructor(
    readonly kind: WarehouseErrorKind,
    message: string,
    info: WarehouseErrorInfo = {},
  ) {
    super(message, info.cause === undefined ? undefined : { cause: info.cause });
    this.code = info.code;
    this.commitOutcomeUnknown = info.commitOutcomeUnknown ?? false;
  }
}

/** True for a WarehouseError (of `kind`, when given). */
export function isWarehouseError(err: unknown, kind?: WarehouseErrorKind): err is WarehouseError {
  return err instanceof WarehouseError && (kind === undefined || err.kind === kind);
}


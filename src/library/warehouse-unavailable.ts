import { isWarehouseError } from '../adapters/warehouse-error.js';

/** Seconds a client is told to wait before retrying a request the warehouse could not take. */
export const RETRY_AFTER_SECONDS = 1;

/**
 * What to tell a client whose request failed for a reason that retrying may cure — the warehouse
 * connection was lost (a new one is opened for the next request), every connection slot was taken,
 * or writers kept conflicting past the retry budget — or undefined for any other failure. The
 * warehouse's own text is never part of it.
 */
export function warehouseUnavailable(err: unknown): string | undefined {
  if (!isWarehouseError(err)) return undefined;
  const retry = 'retry the request with the same Idempotency-Key: a write is applied exactly once';
  switch (err.kind) {
    case 'connection-lost':
      return err.commitOutcomeUnknown
        ? `the warehouse connection was lost while the write was committing, so it may or may not have been applied; ${retry}`
        : `the warehouse connection was lost and the request was not completed; ${retry}`;
    case 'retryable':
      return `the warehouse cannot take the request now (busy or out of connections); ${retry}`;
    case 'conflict':
      return `concurrent writers kept conflicting on this table; ${retry}`;
  }
}

import type { Adapter } from './adapter.js';
import { isWarehouseError, WarehouseError } from './warehouse-error.js';

/** How {@link runTransaction} retries. */
export interface TransactionOptions {
  /** Extra attempts after a `conflict` or `retryable` failure (default 0). `connection-lost` is never retried. */
  retries?: number;
  /** Called after every failed attempt has been rolled back (retried or not), e.g. to drop what the attempt cached. */
  onRollback?: (err: unknown) => void;
}

/** Connections with a transaction open through {@link runTransaction} (a second one on the same connection is a bug). */
const open = new WeakSet<Adapter>();

/** Wait before retry `attempt` (doubling from 1 ms, with jitter: ~8 s over 12 retries). */
function backoff(attempt: number): Promise<void> {
  return new Promise((r) => setTimeout(r, 2 ** attempt + Math.random() * 5));
}

function retryable(err: unknown): boolean {
  return isWarehouseError(err) && (err.kind === 'conflict' || err.kind === 'retryable');
}

/**
 * Run `fn` in one transaction on `adapter`'s connection — the only place transactions are run
 * (Kysely's split: adapters supply begin/commit/rollback, this runs them). Commits when `fn`
 * resolves; rolls back when it or the commit throws, then retries `conflict` and `retryable`
 * failures up to `retries` times with backoff, running `fn` again from the start (it must read
 * what it decides on inside the transaction). A connection lost during COMMIT is rethrown as a
 * `connection-lost` WarehouseError with `commitOutcomeUnknown`: it is never retried here, because
 * the transaction may have committed — the caller's idempotency record decides on a retry.
 */
export async function runTransaction<T>(adapter: Adapter, fn: (tx: Adapter) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
  if (open.has(adapter)) throw new Error('a transaction is already open on this connection (transactions do not nest)');
  const retries = options.retries ?? 0;
  for (let attempt = 0; ; attempt++) {
    open.add(adapter);
    try {
      await adapter.begin();
      let value: T;
      try {
        value = await fn(adapter);
      } catch (err) {
        await adapter.rollback().catch(() => undefined);
        throw err;
      }
      try {
        await adapter.commit();
      } catch (err) {
        if (isWarehouseError(err, 'connection-lost')) {
          throw new WarehouseError('connection-lost', `the connection was lost during COMMIT, so the transaction may or may not have committed: ${err.message}`, {
            ...(err.code !== undefined ? { code: err.code } : {}),
            cause: err,
            commitOutcomeUnknown: true,
          });
        }
        // a failed COMMIT leaves the transaction open on some warehouses (Snowflake): end it
        await adapter.rollback().catch(() => undefined);
        throw err;
      }
      return value;
    } catch (err) {
      options.onRollback?.(err);
      if (!retryable(err) || attempt >= retries) throw err;
    } finally {
      open.delete(adapter);
    }
    await backoff(attempt);
  }
}

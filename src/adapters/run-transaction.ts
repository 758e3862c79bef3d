import type { Adapter } from './adapter.js';
import type { RetryBudget } from '../dialects/dialect.js';
import { isWarehouseError, WarehouseError } from './warehouse-error.js';

/** How {@link runTransaction} retries. */
export interface TransactionOptions {
  /** Extra attempts after a `conflict` or `retryable` failure (default 0). `connection-lost` is never retried. */
  retries?: number;
  /** Waits between attempts (default: from 1 ms, doubling up to 2 s); write paths pass their dialect's `writeRetry`. */
  firstDelayMs?: number;
  maxDelayMs?: number;
  /** Called after every failed attempt has been rolled back (retried or not), e.g. to drop what the attempt cached. */
  onRollback?: (err: unknown) => void;
}

/** Connections with a transaction open through {@link runTransaction} (a second one on the same connection is a bug). */
const open = new WeakSet<Adapter>();

/** The options of a write transaction on `adapter`: its dialect's retry budget. */
export function writeRetry(adapter: Adapter): Pick<TransactionOptions, 'retries' | 'firstDelayMs' | 'maxDelayMs'> {
  const budget: RetryBudget = adapter.dialect.writeRetry;
  return { retries: budget.retries, firstDelayMs: budget.firstDelayMs, maxDelayMs: budget.maxDelayMs };
}

/** Wait before retry `attempt` (0-based): `first` doubling up to `max`, jittered down to half so collided writers spread out. */
function backoff(attempt: number, first: number, max: number): Promise<void> {
  const full = Math.min(max, first * 2 ** attempt);
  return new Promise((r) => setTimeout(r, full / 2 + (Math.random() * full) / 2));
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
    await backoff(attempt, options.firstDelayMs ?? 1, options.maxDelayMs ?? 2_000);
  }
}

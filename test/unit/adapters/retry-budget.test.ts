import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Adapter, Row } from '../../../src/adapters/adapter.js';
import { runTransaction, writeRetry } from '../../../src/adapters/run-transaction.js';
import { WarehouseError } from '../../../src/adapters/warehouse-error.js';
import { getDialect } from '../../../src/dialects/registry.js';

// A write transaction that keeps losing its race is tried again within its warehouse's budget:
// waits scaled to that warehouse's transaction times (the waits are recorded, then cut to 0 ms).

/** An adapter whose COMMIT fails with `kind` the first `failures` times (SDK mocked away entirely). */
function racingAdapter(dialect: string, failures: number, kind: 'conflict' | 'retryable' | 'connection-lost' = 'conflict'): Adapter & { attempts: number } {
  let left = failures;
  const a = {
    dialect: getDialect(dialect),
    attempts: 0,
    query: async <T extends Row = Row>(): Promise<T[]> => [],
    execute: async () => 1,
    begin: async () => {
      a.attempts++;
    },
    commit: async () => {
      if (left-- > 0) throw new WarehouseError(kind, 'another writer committed first');
    },
    rollback: async () => undefined,
    describeSchemas: async () => [],
    close: async () => undefined,
  };
  return a;
}

const realSetTimeout = globalThis.setTimeout;

/** Run a write transaction, recording the waits it asks for (run at once); returns them and how it ended. */
async function run(adapter: Adapter): Promise<{ waits: number[]; outcome: unknown }> {
  const waits: number[] = [];
  const real = realSetTimeout;
  vi.spyOn(globalThis, 'setTimeout').mockImplementation(((fn: () => void, ms?: number) => {
    waits.push(ms ?? 0);
    return real(fn, 0);
  }) as typeof setTimeout);
  const outcome = await runTransaction(adapter, async (tx) => tx.execute('update …'), writeRetry(adapter)).catch((e: unknown) => e);
  return { waits, outcome };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('write retry budgets (mocked warehouse)', () => {
  it.each([
    ['duckdb', 12, 1, 2_000],
    ['postgres', 12, 1, 2_000],
    ['snowflake', 10, 250, 8_000],
    ['bigquery', 8, 1_000, 30_000],
  ] as const)('%s: a writer that always loses is tried %i more times, waiting from ~%i ms doubling up to %i ms, then fails with the conflict', async (dialect, retries, first, max) => {
    const adapter = racingAdapter(dialect, Number.POSITIVE_INFINITY);
    const { waits, outcome } = await run(adapter);
    expect(adapter.attempts).toBe(retries + 1);
    expect(outcome).toMatchObject({ kind: 'conflict' });
    expect(waits).toHaveLength(retries);
    waits.forEach((ms, attempt) => {
      const full = Math.min(max, first * 2 ** attempt);
      expect(ms).toBeGreaterThanOrEqual(full / 2);
      expect(ms).toBeLessThanOrEqual(full);
    });
  });

  it('bigquery: a writer that loses three races commits on the fourth attempt, after waiting seconds, not milliseconds', async () => {
    const adapter = racingAdapter('bigquery', 3);
    const { waits, outcome } = await run(adapter);
    expect(outcome).toBe(1);
    expect(adapter.attempts).toBe(4);
    expect(waits.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(3_500);
  });

  it('a lost connection is never retried, whatever the budget', async () => {
    const adapter = racingAdapter('snowflake', 1, 'connection-lost');
    const { waits, outcome } = await run(adapter);
    expect(adapter.attempts).toBe(1);
    expect(waits).toEqual([]);
    expect(outcome).toMatchObject({ kind: 'connection-lost', commitOutcomeUnknown: true });
  });
});

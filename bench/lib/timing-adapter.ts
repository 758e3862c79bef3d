import type { DuckDBConnection } from '@duckdb/node-api';
import type { Adapter, BulkColumn, BulkRows, BulkTarget } from '../../src/adapters/adapter.js';
import { appendWithAppender } from '../../src/adapters/duckdb/duckdb-bulk-append.js';

/** What a write transaction spends its time on, in the order a group commit runs them. */
export const PHASES = ['begin', 'state lookup', 'chain head', 'log append', 'state write', 'idempotency', 'other', 'commit'] as const;
export type Phase = (typeof PHASES)[number];

/** The milliseconds one committed write transaction spent in each phase (wall clock, as its connection waited), and from BEGIN to the end of COMMIT (`total`: the phases and the JavaScript between them). */
export type GroupTimes = Record<Phase | 'total', number>;

/** Which phase a statement of the write path belongs to (by the managed object it names). */
function phaseOf(sql: string): Phase {
  if (/__head"|_wb_heads"/.test(sql)) return 'chain head';
  if (/_wb_idempotency/.test(sql)) return 'idempotency';
  if (/^\s*select\b/i.test(sql)) return 'state lookup';
  if (/^\s*(insert|update)\b/i.test(sql)) return 'state write';
  return 'other';
}

/**
 * Wraps a DuckDB adapter (and every connection forked from it) so that each statement, BEGIN,
 * COMMIT and Appender call of a write transaction is timed; `groups` holds, per committed
 * transaction that appended to a log, the time spent in each phase. The statements themselves are
 * the product's: the log append runs the same `appendWithAppender` the write path runs.
 */
export class GroupTimer {
  readonly groups: GroupTimes[] = [];

  wrap(inner: Adapter): Adapter {
    const timer = this;
    let open: GroupTimes | undefined;
    let began = 0;
    const timed = async <T>(phase: Phase, run: () => Promise<T>): Promise<T> => {
      const t = performance.now();
      try {
        return await run();
      } finally {
        if (open) open[phase] += performance.now() - t;
      }
    };
    const raw = (inner as { raw?: DuckDBConnection }).raw;
    const columnar = (inner as { queryColumns?: (sql: string, params?: never[]) => Promise<unknown> }).queryColumns;
    const fork = (inner as { fork?: () => Promise<Adapter> }).fork;
    const overrides: Partial<Record<string | symbol, unknown>> = {
      begin: async () => {
        open = Object.fromEntries([...PHASES, 'total'].map((p) => [p, 0])) as GroupTimes;
        began = performance.now();
        await timed('begin', () => inner.begin());
      },
      commit: async () => {
        await timed('commit', () => inner.commit());
        if (open) open.total = performance.now() - began;
        if (open && open['log append'] > 0) timer.groups.push(open);
        open = undefined;
      },
      rollback: async () => {
        open = undefined;
        await inner.rollback();
      },
      query: (sql: string, params?: never[]) => timed(phaseOf(sql), () => inner.query(sql, params)),
      execute: (sql: string, params?: never[]) => timed(phaseOf(sql), () => inner.execute(sql, params)),
      ...(columnar ? { queryColumns: (sql: string, params?: never[]) => timed(phaseOf(sql), () => columnar.call(inner, sql, params)) } : {}),
      ...(fork ? { fork: async () => timer.wrap(await fork.call(inner)) } : {}),
      ...(raw
        ? {
            appendBulk: (target: BulkTarget, columns: readonly BulkColumn[], rows: BulkRows) =>
              timed(target.table.endsWith('__log') ? 'log append' : 'other', () => appendWithAppender(raw, target, columns.map((c) => c.kind), rows)),
          }
        : {}),
    };
    return new Proxy(inner, {
      get(target, prop) {
        if (prop in overrides) return overrides[prop];
        const value = Reflect.get(target, prop, target) as unknown;
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
  }
}

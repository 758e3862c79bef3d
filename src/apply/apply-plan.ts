import type { Adapter } from '../adapters/adapter.js';
import { runTransaction } from '../adapters/run-transaction.js';
import type { Result } from '../diagnostics/diagnostic.js';
import { Reporter } from '../diagnostics/reporter.js';
import type { Operation, Plan } from '../plan/operation.js';
import { operationStatements, type ApplyStamp } from './operation-sql.js';

/** Options of `applyPlan`. */
export interface ApplyOptions {
  /** Called after each operation with how many are done out of `total` (for a progress display). */
  onProgress?: (done: number, total: number, op: Operation) => void;
  /** Clock for `applied_at` / `loaded_at` (default: now). */
  now?: Date;
}

/** What an apply did. */
export interface ApplySummary {
  operations: number;
  statements: number;
  /** True when everything ran in one transaction (a failure would have changed nothing). */
  transactional: boolean;
}

/**
 * Run a plan's operations in order. Where the dialect has transactional DDL (DuckDB) the
 * whole apply is one transaction, so a failed apply changes nothing. A statement the
 * warehouse rejects is returned as an `apply-failed` diagnostic naming the operation.
 */
export async function applyPlan(plan: Plan, adapter: Adapter, options: ApplyOptions = {}): Promise<Result<ApplySummary>> {
  const stamp: ApplyStamp = { user: plan.user, at: options.now ?? new Date(), metaSchema: plan.metaSchema };
  const dialect = adapter.dialect;
  const report = new Reporter();
  if (plan.dialect !== dialect.name) {
    report.error('plan-target-mismatch', { planned: plan.dialect, connected: dialect.name });
    return report.result<ApplySummary>(undefined);
  }
  const total = plan.operations.length;
  let statements = 0;
  let current: Operation | undefined;
  const run = async (db: Adapter) => {
    for (const [index, op] of plan.operations.entries()) {
      current = op;
      for (const statement of operationStatements(dialect, op, stamp)) {
        await db.execute(statement.sql, statement.params);
        statements += 1;
      }
      options.onProgress?.(index + 1, total, op);
    }
  };
  if (total === 0) return { ok: true, value: { operations: 0, statements: 0, transactional: dialect.transactionalDdl }, warnings: [] };
  try {
    if (dialect.transactionalDdl) await runTransaction(adapter, run);
    else await run(adapter);
  } catch (err) {
    const reason = (err instanceof Error ? err.message : String(err)).replace(/[.!\s]+$/, '');
    report.error('apply-failed', { ...(current ? { operation: current.description } : {}), reason, rolledBack: dialect.transactionalDdl });
    return report.result<ApplySummary>(undefined);
  }
  return report.result<ApplySummary>({ operations: total, statements, transactional: dialect.transactionalDdl });
}

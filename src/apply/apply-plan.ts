import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Adapter } from '../adapters/adapter.js';
import { runTransaction } from '../adapters/run-transaction.js';
import { statementFailure } from '../adapters/error-position.js';
import type { Result } from '../diagnostics/diagnostic.js';
import { Reporter } from '../diagnostics/reporter.js';
import { locateOffset } from '../diagnostics/text-map.js';
import type { SourceLocation } from '../ir/types.js';
import type { Operation, Plan } from '../plan/operation.js';
import { newChainHeadsSql, operationStatements, versionRecordsSql, type ApplyStamp, type Statement } from './operation-sql.js';

/** Options of `applyPlan`. */
export interface ApplyOptions {
  /** Called after each operation with how many are done out of `total` (for a progress display). */
  onProgress?: (done: number, total: number, op: Operation) => void;
  /** Clock for `applied_at` / `loaded_at` (default: now). */
  now?: Date;
  /**
   * The project directory: a statement the warehouse rejects is written to
   * `target/run/<dialect>/…` in it, and the diagnostic names that file (default: not written).
   */
  projectDir?: string;
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
 * warehouse rejects is an `apply-failed` diagnostic naming the operation; when the warehouse
 * names a position inside a model's SQL, the diagnostic is located at that place of the model's
 * file (through the operation's source map), and the statement's own line and column are given
 * with the file it was written to.
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
  let current: { op: Operation; statement?: Statement } | undefined;
  const oneByOne = async (db: Adapter) => {
    statements = 0;
    for (const [index, op] of plan.operations.entries()) {
      current = { op };
      for (const statement of operationStatements(dialect, op, stamp)) {
        current = { op, statement };
        await db.execute(statement.sql, statement.params);
        statements += 1;
      }
      options.onProgress?.(index + 1, total, op);
    }
  };
  if (total === 0) return report.result<ApplySummary>({ operations: 0, statements: 0, transactional: dialect.transactionalDdl });
  try {
    if (!dialect.transactionalDdl) await oneByOne(adapter);
    else if (!adapter.executeScript) await runTransaction(adapter, oneByOne);
    else {
      // Batched where the statements run as a script; a batch does not say which statement failed,
      // so a failed batched apply (rolled back: nothing changed) is run again one by one to name it.
      const script = adapter.executeScript.bind(adapter);
      let batchedFailure = false;
      try {
        await runTransaction(adapter, async (db) => {
          statements = await runBatched(db, script, plan.operations, stamp, options.onProgress);
        });
      } catch {
        batchedFailure = true;
      }
      if (batchedFailure) await runTransaction(adapter, oneByOne);
    }
  } catch (err) {
    const rolledBack = dialect.transactionalDdl;
    const statement = current?.statement;
    if (!statement) {
      const reason = oneLine(err instanceof Error ? err.message : String(err));
      report.error('apply-failed', { ...(current ? { operation: current.op.description } : {}), reason, rolledBack });
      return report.result<ApplySummary>(undefined);
    }
    const failure = statementFailure(err, statement.sql);
    const file = current && options.projectDir ? writeStatement(options.projectDir, dialect.name, current.op, statement.sql) : undefined;
    const at = failure.line !== undefined ? { line: failure.line, ...(failure.col !== undefined ? { col: failure.col } : {}) } : {};
    report.error(
      'apply-failed',
      { ...(current ? { operation: current.op.description } : {}), reason: oneLine(failure.message), rolledBack, ...(file ? { statementFile: file } : {}), ...at },
      modelLocation(statement, failure.line, failure.col),
    );
  }
  return report.result<ApplySummary>({ operations: total, statements, transactional: dialect.transactionalDdl });
}

/**
 * The operations' statements with as few calls as the adapter allows: consecutive parameterless
 * statements as one script, statements with values bound one by one, and the `_wb_model_versions`
 * rows of all new versions and the shared chain-head rows of all new inputs in multi-row inserts at
 * the end (the same transaction). Returns how many statements ran.
 */
async function runBatched(
  db: Adapter,
  executeScript: (statements: readonly string[]) => Promise<void>,
  operations: readonly Operation[],
  stamp: ApplyStamp,
  onProgress: ApplyOptions['onProgress'],
): Promise<number> {
  const total = operations.length;
  let script: string[] = [];
  let count = 0;
  let reported = 0;
  const runScript = async () => {
    if (script.length > 0) await executeScript(script);
    count += script.length;
    script = [];
  };
  const progress = (upTo: number) => {
    for (; reported < upTo; reported++) onProgress?.(reported + 1, total, operations[reported]!);
  };
  for (const [index, op] of operations.entries()) {
    for (const statement of operationStatements(db.dialect, op, stamp, { deferRecords: true })) {
      if (statement.params.length === 0) {
        script.push(statement.sql);
        continue;
      }
      await runScript();
      progress(index);
      await db.execute(statement.sql, statement.params);
      count += 1;
    }
    if (script.length >= SCRIPT_STATEMENTS) {
      await runScript();
      progress(index + 1);
    }
  }
  await runScript();
  const records = [...newChainHeadsSql(db.dialect, operations, stamp), ...versionRecordsSql(db.dialect, operations, stamp)];
  for (const statement of records) await db.execute(statement.sql, statement.params);
  progress(total);
  return count + records.length;
}

/** Statements per script: few calls, while a progress display still moves. */
const SCRIPT_STATEMENTS = 200;

/** A warehouse message on one line, without its closing punctuation (the diagnostic adds its own). */
function oneLine(message: string): string {
  return message.replace(/\s*\n\s*/g, ' ').replace(/[.!\s]+$/, '');
}

/**
 * Where in the project a position of a failed statement is: inside a view's SELECT, through its
 * source map (a position in the statement's header, or none, is the SELECT's start). Undefined for
 * statements that come from no project file.
 */
function modelLocation(statement: Statement, line: number | undefined, col: number | undefined): SourceLocation | undefined {
  const source = statement.source;
  if (!source) return undefined;
  if (line === undefined) return locateOffset(source.map, 0);
  const lines = statement.sql.split('\n');
  let offset = 0;
  for (let i = 0; i < line - 1 && i < lines.length; i++) offset += (lines[i]?.length ?? 0) + 1;
  offset += (col ?? 1) - 1;
  return locateOffset(source.map, Math.max(0, offset - source.offset));
}

/** Writes the rejected statement under `target/run/<dialect>/`; returns its path relative to the project, or undefined when it cannot be written. */
function writeStatement(projectDir: string, dialect: string, op: Operation, sql: string): string | undefined {
  const file = ['target', 'run', dialect, statementFile(op)].join('/');
  try {
    mkdirSync(dirname(join(projectDir, file)), { recursive: true });
    writeFileSync(join(projectDir, file), `${sql}\n`);
    return file;
  } catch {
    return undefined;
  }
}

/** The file a rejected statement of `op` is written to, under `target/run/<dialect>/`. */
function statementFile(op: Operation): string {
  switch (op.kind) {
    case 'create-model-version':
      return `models/${op.view.name}.sql`;
    case 'point-model-alias':
      return `models/${op.alias.name}.sql`;
    case 'create-managed-view':
      return `views/${op.view.name}.sql`;
    case 'load-seed':
      return `seeds/${op.table.name}.sql`;
    case 'create-input-tables':
    case 'create-chain-head':
    case 'create-log-index':
    case 'add-input-column':
    case 'drop-input-column':
    case 'rebuild-state-table':
    case 'archive-input-table':
      return `inputs/${op.input}.sql`;
    default:
      return `${op.kind}.sql`;
  }
}

import type { Adapter } from '../adapters/adapter.js';
import type { Result } from '../diagnostics/diagnostic.js';
import { Reporter } from '../diagnostics/reporter.js';
import { metaTablesOf } from '../managed/meta-tables.js';
import { CHAIN_HEADS_TABLE, LEGACY_CHAIN_HEADS_TABLE } from '../managed/names.js';
import type { Project } from '../ir/types.js';
import { planSeeds, seedSchemas } from './plan-seeds.js';
import type { Operation, Plan } from './operation.js';
import { planArchives } from './plan-archives.js';
import { planInputs } from './plan-inputs.js';
import { planModels, sourceColumnsLookup } from './plan-models.js';
import { planHistoryViews } from './plan-history-views.js';
import { planWorkflowViews } from './plan-workflow-views.js';
import { readWarehouseState, tableKey, type WarehouseState } from './warehouse-state.js';

export type { Operation, Plan } from './operation.js';

/** Options of `planProject`. */
export interface PlanOptions {
  /** Target name from project.yml (selects per-target source schemas). */
  targetName: string;
  /** An open connection to that target; only read from. */
  adapter: Adapter;
  /** Recorded as `applied_by` when the plan is applied. */
  user: string;
  /** Allow dropping state columns and archiving removed input tables (default false: refused). */
  allowDestructive?: boolean;
  /** Clock for the plan's time and archive names (default: now). */
  now?: Date;
}

/**
 * Diff the project against what the warehouse has and return the operations that bring the
 * warehouse in line, in the order `applyPlan` runs them. Reads only. An up-to-date warehouse
 * gives an empty list. Refused changes (type changes, removals without `allowDestructive`)
 * are diagnostics; then nothing may be applied.
 */
export async function planProject(project: Project, options: PlanOptions): Promise<Result<Plan>> {
  const { adapter, targetName } = options;
  const dialect = adapter.dialect;
  const now = options.now ?? new Date();
  const allowDestructive = options.allowDestructive ?? false;
  const { inputs, views } = project.schemas;
  const report = new Reporter();
  if (!project.targets[targetName]) {
    report.error('unknown-target', { target: targetName, declared: Object.keys(project.targets) });
    return report.result<Plan>(undefined);
  }
  const seedTargets = seedSchemas(project, targetName);
  // source schemas are described too: dialects without `select * exclude` list their columns
  const sourceSchemas = Object.values(project.sources).flatMap((s) => Object.values(s.tables).map((t) => t.schema[targetName] ?? s.name));
  let state: WarehouseState;
  try {
    state = await readWarehouseState(adapter, { inputs, views, others: [...seedTargets, ...sourceSchemas] });
  } catch (err) {
    report.error('warehouse-read-failed', { target: targetName, reason: err instanceof Error ? err.message : String(err) });
    return report.result<Plan>(undefined);
  }

  const ops: Operation[] = [];
  for (const schema of [...new Set([inputs, views, ...seedTargets])]) {
    if (!state.schemas.has(schema)) ops.push({ kind: 'create-schema', description: `create schema ${schema}`, destructive: false, schema });
  }
  for (const meta of metaTablesOf(dialect)) {
    const existing = state.tables.get(tableKey(inputs, meta.name));
    if (existing) {
      const has = new Set(existing.columns.map((c) => c.name));
      for (const column of meta.columns.filter((c) => !has.has(c.name))) {
        ops.push({
          kind: 'add-meta-column',
          description: `add column ${column.name} to ${inputs}.${meta.name}`,
          destructive: false,
          table: { schema: inputs, name: meta.name },
          column: { ...column, nullable: true },
        });
      }
      continue;
    }
    ops.push({
      kind: 'create-meta-table',
      description: `create table ${inputs}.${meta.name}`,
      destructive: false,
      table: { schema: inputs, name: meta.name },
      columns: meta.columns,
      primaryKey: meta.primaryKey ?? [],
    });
  }
  // In apply order: input tables, archives, seeds (models read them), model versions, then the
  // managed views: <t>__history, <t>__pending and <model>__by_scenario (after the versions they read).
  const inputOps = planInputs(project, state, dialect, allowDestructive, report);
  const archiveOps = planArchives(project, state, dialect, allowDestructive, now, report);
  const seedOps = planSeeds(project, state, dialect, targetName, report);
  const modelOps = planModels(project, state, dialect, targetName, report);
  const historyOps = planHistoryViews(project, state, dialect, inputOps);
  const sourceColumns = sourceColumnsLookup(project, state, targetName);
  const workflowOps = planWorkflowViews(project, state, dialect, targetName, [...inputOps, ...modelOps], report, { sourceColumns });
  // every input has its chain head once the input ops ran: the shared table of the oldest versions goes
  const legacyHeads = state.tables.has(tableKey(inputs, LEGACY_CHAIN_HEADS_TABLE))
    ? [{ kind: 'drop-legacy-chain-heads' as const, description: `drop ${inputs}.${LEGACY_CHAIN_HEADS_TABLE} (its heads were recreated from the logs: ${dialect.chainHeads === 'shared' ? `rows of ${CHAIN_HEADS_TABLE}` : 'one table per input'})`, destructive: false, table: { schema: inputs, name: LEGACY_CHAIN_HEADS_TABLE } }]
    : [];
  ops.push(...inputOps, ...archiveOps, ...legacyHeads, ...seedOps, ...modelOps, ...historyOps, ...workflowOps);
  return report.result<Plan>({ target: targetName, dialect: dialect.name, metaSchema: inputs, user: options.user, createdAt: now.toISOString(), operations: ops });
}

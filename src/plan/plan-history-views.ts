import type { Dialect } from '../dialects/dialect.js';
import type { Project } from '../ir/types.js';
import { historyViewName } from '../managed/names.js';
import { historyViewSql } from '../emit/history-view.js';
import type { Operation } from './operation.js';
import { tableKey, type WarehouseState } from './warehouse-state.js';

/**
 * `<views>.<t>__history` for every input table: created when missing, and re-created whenever
 * the plan changes the input's columns (its SQL depends only on the columns and the dialect).
 */
export function planHistoryViews(project: Project, state: WarehouseState, dialect: Dialect, inputOps: readonly Operation[]): Operation[] {
  const changed = new Set(
    inputOps.flatMap((op) =>
      op.kind === 'create-input-tables' || op.kind === 'add-input-column' || op.kind === 'drop-input-column' ? [op.input] : [],
    ),
  );
  const { inputs: inputsSchema, views } = project.schemas;
  return Object.values(project.inputs).flatMap((input): Operation[] => {
    const name = historyViewName(input.name);
    if (state.tables.has(tableKey(views, name)) && !changed.has(input.name)) return [];
    return [
      {
        kind: 'create-managed-view',
        description: `create view ${views}.${name} (who changed what in ${input.name}, one row per changed column)`,
        destructive: false,
        view: { schema: views, name },
        sql: historyViewSql(dialect, inputsSchema, input),
      },
    ];
  });
}

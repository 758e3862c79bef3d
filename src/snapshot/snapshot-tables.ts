import { inputOfArchivedLog, inputOfChainHead, inputOfLog, isMetaTableName } from '../managed/names.js';
import { META_TABLES } from '../managed/meta-tables.js';

/** The shared managed tables views read (scenarios, their closure, pending changes). */
const META_TABLES_READ_BY_VIEWS = new Set(META_TABLES.filter((t) => t.readByViews).map((t) => t.name));

/**
 * Whether the BI snapshot copies a table: what the merged and pending views read (input state
 * tables, the scenario and pending tables, sources, any other table of the user), never the
 * write path's history and bookkeeping — logs and archived logs (they grow with every write),
 * chain heads, idempotency records, tokens, sessions, users, webhook calls, model versions, seeds.
 * Managed names are recognised in `inputsSchema` only (in every schema when it is not given).
 */
export function snapshotCopiesTable(inputsSchema: string | undefined, schema: string, table: string): boolean {
  if (inputsSchema !== undefined && schema !== inputsSchema) return true;
  if (isMetaTableName(table)) return META_TABLES_READ_BY_VIEWS.has(table);
  return inputOfLog(table) === undefined && inputOfArchivedLog(table) === undefined && inputOfChainHead(table) === undefined;
}

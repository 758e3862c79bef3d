import type { TableLayout } from '../dialects/dialect.js';
import type { ManagedColumn } from './columns.js';
import { IDEMPOTENCY_TABLE } from './names.js';

/**
 * How the tables that grow forever are laid out where the warehouse can (BigQuery: partitioned
 * and clustered, see the dialect's `tableLayoutSql`; the others ignore it). Only new tables get
 * it: a table's layout cannot be changed in place.
 */

/**
 * `<t>__log` (its columns, and the state's key: `_scenario` + key columns): rows arrive by `_at`
 * (one partition per day); history and as-of reads look up the scenario and the key.
 */
export function logTableLayout(logColumns: readonly ManagedColumn[], stateKey: readonly string[]): TableLayout {
  const clusterBy = stateKey.map((k) => logColumns.find((c) => c.name === k)).filter((c) => c !== undefined);
  return { partitionByDay: '_at', clusterBy: clusterBy.map((c) => ({ name: c.name, type: c.type })) };
}

/** `_wb_idempotency`: records arrive by `created_at`; every write looks its request ids up. */
export function metaTableLayout(table: string): TableLayout | undefined {
  return table === IDEMPOTENCY_TABLE ? { partitionByDay: 'created_at', clusterBy: [{ name: 'request_id', type: { kind: 'system', type: 'string' } }] } : undefined;
}

import type { TextMap } from '../ir/types.js';
import type { ManagedColumn } from '../managed/columns.js';
import type { SeedLoad } from '../seeds/seed-load.js';

/**
 * One warehouse change, dialect-neutral and JSON-printable. Every operation carries
 * what `apply` needs to emit its SQL, so a printed plan can be reviewed and applied as is.
 * `description` is the line `writeback plan` prints for people.
 */
export type Operation =
  | CreateSchemaOp
  | CreateMetaTableOp
  | AddMetaColumnOp
  | DropLegacyChainHeadsOp
  | CreateInputTablesOp
  | CreateChainHeadOp
  | AddInputColumnOp
  | CreateLogIndexOp
  | DropInputColumnOp
  | RebuildStateTableOp
  | ArchiveInputTableOp
  | LoadSeedOp
  | CreateModelVersionOp
  | PointModelAliasOp
  | CreateManagedViewOp;

/** Fields every operation has. */
interface OpBase {
  /** One line for people, e.g. `create view planning.account_plan__v2`. */
  description: string;
  /** True when the operation removes warehouse data (refused unless `allowDestructive`). */
  destructive: boolean;
}

/** A table (or view) in a schema. */
export interface QualifiedName {
  schema: string;
  name: string;
}

/** `create schema if not exists`. */
export interface CreateSchemaOp extends OpBase {
  kind: 'create-schema';
  schema: string;
}

/** A shared managed table (`_wb_model_versions`, `_wb_seeds`) in the inputs schema. */
export interface CreateMetaTableOp extends OpBase {
  kind: 'create-meta-table';
  table: QualifiedName;
  columns: ManagedColumn[];
  primaryKey: string[];
}

/** A column a newer writeback declares for an existing `_wb_*` table (added nullable, so existing rows stay valid). */
export interface AddMetaColumnOp extends OpBase {
  kind: 'add-meta-column';
  table: QualifiedName;
  column: ManagedColumn;
}

/**
 * The shared chain-head table of earlier versions, dropped once every input has its own
 * `<t>__head` (created from its log in the same apply, so nothing is lost).
 */
export interface DropLegacyChainHeadsOp extends OpBase {
  kind: 'drop-legacy-chain-heads';
  table: QualifiedName;
}

/**
 * An input's chain head — its one-row table `<t>__head`, or its row of the shared `_wb_heads`
 * (`Dialect.chainHeads`) — filled from its log's last entry (0 and an empty head for an empty
 * log): created with every new input, and for inputs applied by an earlier version. `replace`
 * removes a leftover head first (a new input whose name was used before).
 */
export interface CreateChainHeadOp extends OpBase {
  kind: 'create-chain-head';
  input: string;
  /** The table that holds the head: `<t>__head`, or `_wb_heads`. */
  table: QualifiedName;
  log: QualifiedName;
  replace: boolean;
  /** True when the log is created by the same plan (so it is empty: the head is (0, '') without reading it). */
  newLog?: boolean;
  /**
   * Where the heads are shared: the input's own `<t>__head` left by an earlier version, whose head
   * moves into `_wb_heads` as it is, the table then dropped — unread for a new log, or when the
   * shared table has a row too (`replace`: the row is seeded from the log again).
   */
  legacy?: QualifiedName;
}

/** The log and state tables of a new input table. */
export interface CreateInputTablesOp extends OpBase {
  kind: 'create-input-tables';
  input: string;
  /** `indexes`: columns of each index created with the log (dialects with `logIndexes`). */
  log: QualifiedName & { columns: ManagedColumn[]; indexes?: string[][] };
  state: QualifiedName & { columns: ManagedColumn[]; key: string[] };
}

/** An index an existing input log lacks (dialects with `logIndexes`); writes to the log wait while it is built. */
export interface CreateLogIndexOp extends OpBase {
  kind: 'create-log-index';
  input: string;
  table: QualifiedName;
  columns: string[];
}

/** A column added to an input's log and/or state (existing rows get null). */
export interface AddInputColumnOp extends OpBase {
  kind: 'add-input-column';
  input: string;
  column: ManagedColumn;
  /** The tables that lack the column (the log may already have it from an earlier removal). */
  tables: QualifiedName[];
}

/**
 * Destructive: columns dropped from the state table; the log keeps them and their data.
 * The state is rebuilt (copied into a new table with the declared columns, then swapped in):
 * some warehouses cannot drop a column that precedes a key column (DuckDB).
 */
export interface DropInputColumnOp extends OpBase {
  kind: 'drop-input-column';
  input: string;
  columns: string[];
  table: QualifiedName;
  /** Columns and key of the rebuilt state table. */
  rebuild: StateRebuild;
}

/**
 * How a state table is rebuilt: a new table `<t>__rebuild` with `columns` and `key` is filled
 * from the current one and swapped in (same transaction where DDL is transactional).
 */
export interface StateRebuild {
  columns: ManagedColumn[];
  key: string[];
  /** Columns copied from the current table (the other columns start null). */
  copied: string[];
  /** `column` (`_key`) derived from these columns of the current table (managed/tables.ts `stateKeySql`); absent where the dialect has no `stateKeyColumn`. */
  derivedKey?: { column: string; from: string[] };
}

/**
 * A state table laid out by an earlier version (no `_key` where the dialect has `stateKeyColumn`),
 * rebuilt with every row kept and `_key` derived from each row's scenario and key.
 */
export interface RebuildStateTableOp extends OpBase {
  kind: 'rebuild-state-table';
  input: string;
  table: QualifiedName;
  rebuild: StateRebuild;
}

/** Destructive: an input removed from the project. The log is renamed (kept), the state dropped. */
export interface ArchiveInputTableOp extends OpBase {
  kind: 'archive-input-table';
  input: string;
  log: QualifiedName;
  /** New name of the log in the same schema, `<t>__log__archived_<yyyymmdd_hhmmss>` (UTC). */
  archiveName: string;
  /** Absent when the state table is already gone. */
  state?: QualifiedName;
  /** The input's own chain-head table, dropped (a re-added input starts a new chain); absent when there is none. */
  head?: QualifiedName;
  /** The shared chain-head table holding the input's row, deleted with it (`Dialect.chainHeads: 'shared'`). */
  sharedHead?: QualifiedName;
  /** Model version views that read the removed tables (directly or through other versions). */
  dropViews: QualifiedName[];
}

/** (Re)load a CSV seed into its source table, replacing the table (`file`, `path`, `table`, `columnTypes`: see SeedLoad). */
export interface LoadSeedOp extends OpBase, SeedLoad {
  kind: 'load-seed';
  table: QualifiedName;
  /** sha256 of the file's content. */
  fingerprint: string;
}

/** Create `<model>__v<N>`; `record` is false when re-creating a registered version whose view was dropped. */
export interface CreateModelVersionOp extends OpBase {
  kind: 'create-model-version';
  model: string;
  version: number;
  view: QualifiedName;
  /** The view's select statement, refs pinned to upstream versions. */
  sql: string;
  /** Where each character of `sql` comes from in the model's file (so a warehouse error in it can be located there). */
  source?: TextMap;
  fingerprint: string;
  record: boolean;
}

/** Point `<model>` at `<model>__v<N>`. */
export interface PointModelAliasOp extends OpBase {
  kind: 'point-model-alias';
  model: string;
  version: number;
  alias: QualifiedName;
  target: QualifiedName;
  /** Version the alias pointed at before, if any. */
  previousVersion?: number;
}

/** Create or replace an unversioned view that writeback manages (e.g. `<t>__history`). */
export interface CreateManagedViewOp extends OpBase {
  kind: 'create-managed-view';
  view: QualifiedName;
  sql: string;
  /** Where the view's SQL comes from in the project, when it comes from one model (`<model>__by_scenario`). */
  source?: TextMap;
}

/** The result of `planProject`: what `applyPlan` will do, in order. */
export interface Plan {
  /** Target name from project.yml. */
  target: string;
  /** Dialect the plan was made for (the adapter's). */
  dialect: string;
  /** Schema of the `_wb_*` tables (the project's inputs schema). */
  metaSchema: string;
  /** Recorded as `applied_by`. */
  user: string;
  /** ISO time the plan was made (UTC). */
  createdAt: string;
  operations: Operation[];
}

import type { SqlValue } from '../adapters/adapter.js';
import type { Dialect } from '../dialects/dialect.js';
import {
  addColumnSql,
  createIndexSql,
  createSchemaSql,
  createTableSql,
  createChainHeadTableSql,
  createViewSql,
  deleteChainHeadSql,
  emptyChainHeadSql,
  emptyChainHeadsSql,
  dropTableSql,
  dropViewSql,
  moveChainHeadSql,
  renameTableSql,
  seedChainHeadSql,
} from '../emit/ddl.js';
import { logTableLayout, metaTableLayout } from '../managed/table-layout.js';
import { MODEL_VERSIONS_TABLE, SEEDS_TABLE } from '../managed/names.js';
import { stateKeySql } from '../managed/tables.js';
import type { TextMap } from '../ir/types.js';
import type { CreateChainHeadOp, CreateModelVersionOp, Operation, QualifiedName, StateRebuild } from '../plan/operation.js';
import { seedLoaderFor } from '../seeds/seed-loader.js';

/** One statement to run, with its bound parameters. */
export interface Statement {
  sql: string;
  params: SqlValue[];
  /** A view's statement: where its SELECT starts in `sql`, and where that SELECT's characters come from in the project. */
  source?: { offset: number; map: TextMap };
}

/** Who and when, recorded with versions and seeds. */
export interface ApplyStamp {
  user: string;
  at: Date;
  /** Schema of the `_wb_*` tables (the project's inputs schema). */
  metaSchema: string;
}

const ddl = (statements: string[]): Statement[] => statements.map((sql) => ({ sql, params: [] }));

/** The statements of a view whose SELECT (the end of the creating statement) comes from `source`. */
function viewDdl(statements: string[], select: string, source: TextMap | undefined): Statement[] {
  return statements.map((sql) => (source && sql.endsWith(select) ? { sql, params: [], source: { offset: sql.length - select.length, map: source } } : { sql, params: [] }));
}

/** Options of {@link operationStatements}. */
export interface StatementOptions {
  /**
   * Leave out the `_wb_model_versions` row of a new version, and the shared chain-head row of a new
   * input: the caller writes them together with {@link versionRecordsSql} and {@link newChainHeadsSql}.
   */
  deferRecords?: boolean;
}

/** The statements that carry out one operation, registry writes included (values bound). */
export function operationStatements(dialect: Dialect, op: Operation, stamp: ApplyStamp, options: StatementOptions = {}): Statement[] {
  const p = (i: number) => dialect.param(i);
  switch (op.kind) {
    case 'create-schema':
      return ddl(createSchemaSql(dialect, op.schema));
    case 'create-meta-table':
      return ddl(createTableSql(dialect, op.table.schema, op.table.name, op.columns, { primaryKey: op.primaryKey, ifNotExists: true, layout: metaTableLayout(op.table.name) }));
    case 'add-meta-column':
      return ddl(addColumnSql(dialect, op.table.schema, op.table.name, op.column));
    case 'create-input-tables':
      return ddl([
        ...createTableSql(dialect, op.log.schema, op.log.name, op.log.columns, { layout: logTableLayout(op.log.columns, op.state.key) }),
        ...createTableSql(dialect, op.state.schema, op.state.name, op.state.columns, { primaryKey: op.state.key }),
        ...(op.log.indexes ?? []).flatMap((columns) => createIndexSql(dialect, op.log.schema, op.log.name, columns)),
      ]);
    case 'create-chain-head':
      return chainHeadStatements(dialect, op, stamp, options);
    case 'drop-legacy-chain-heads':
      return ddl(dropTableSql(dialect, op.table.schema, op.table.name, { ifExists: true }));
    case 'create-log-index':
      return ddl(createIndexSql(dialect, op.table.schema, op.table.name, op.columns));
    case 'add-input-column':
      return ddl(op.tables.flatMap((t) => addColumnSql(dialect, t.schema, t.name, op.column)));
    case 'drop-input-column':
    case 'rebuild-state-table':
      return ddl(rebuildStateSql(dialect, op.table, op.rebuild));
    case 'archive-input-table':
      return ddl([
        ...op.dropViews.flatMap((v) => dropViewSql(dialect, v.schema, v.name, { ifExists: true })),
        ...(op.state ? dropTableSql(dialect, op.state.schema, op.state.name) : []),
        ...(op.head ? dropTableSql(dialect, op.head.schema, op.head.name, { ifExists: true }) : []),
        ...renameTableSql(dialect, op.log.schema, op.log.name, op.archiveName),
      ]).concat(op.sharedHead ? [deleteChainHeadSql(dialect, op.sharedHead.schema, op.input)] : []);
    case 'load-seed': {
      const loader = seedLoaderFor(dialect);
      if (!loader) throw new Error(`load-seed planned for ${dialect.name}, which has no seed loader`);
      const seeds = dialect.qualify(stamp.metaSchema, SEEDS_TABLE);
      const cols = ['file', 'schema', 'table', 'fingerprint', 'loaded_at'].map((c) => dialect.quoteIdent(c)).join(', ');
      return [
        ...loader.loadSql(dialect, op),
        { sql: `delete from ${seeds} where ${dialect.quoteIdent('file')} = ${p(1)}`, params: [op.file] },
        {
          sql: `insert into ${seeds} (${cols}) values (${p(1)}, ${p(2)}, ${p(3)}, ${p(4)}, ${p(5)})`,
          params: [op.file, op.table.schema, op.table.name, op.fingerprint, stamp.at],
        },
      ];
    }
    case 'create-model-version': {
      const view = viewDdl(createViewSql(dialect, op.view.schema, op.view.name, op.sql), op.sql, op.source);
      if (!op.record || options.deferRecords) return view;
      return [...view, ...versionRecordsSql(dialect, [op], stamp)];
    }
    case 'create-managed-view':
      return viewDdl(createViewSql(dialect, op.view.schema, op.view.name, op.sql), op.sql, op.source);
    case 'point-model-alias':
      return ddl(createViewSql(dialect, op.alias.schema, op.alias.name, `select * from ${dialect.qualify(op.target.schema, op.target.name)}`));
  }
}

/** The statements of a chain head: its own table created and filled, or its row of the shared table (see CreateChainHeadOp). */
function chainHeadStatements(dialect: Dialect, op: CreateChainHeadOp, stamp: ApplyStamp, options: StatementOptions): Statement[] {
  const { schema } = op.table;
  if (dialect.chainHeads === 'per-input')
    return [
      ...ddl([...(op.replace ? dropTableSql(dialect, schema, op.table.name, { ifExists: true }) : []), ...createChainHeadTableSql(dialect, schema, op.input)]),
      op.newLog ? emptyChainHeadSql(dialect, schema, op.input, stamp.at) : seedChainHeadSql(dialect, schema, op.input, stamp.at),
    ];
  const dropLegacy = op.legacy ? ddl(dropTableSql(dialect, op.legacy.schema, op.legacy.name, { ifExists: true })) : [];
  const steps: Statement[] = op.replace ? [deleteChainHeadSql(dialect, schema, op.input)] : [];
  if (op.newLog) {
    steps.push(...dropLegacy);
    if (!options.deferRecords) steps.push(emptyChainHeadSql(dialect, schema, op.input, stamp.at));
  } else if (op.legacy && !op.replace) {
    steps.push(...moveChainHeadSql(dialect, schema, op.input));
  } else {
    steps.push(seedChainHeadSql(dialect, schema, op.input, stamp.at), ...dropLegacy);
  }
  return steps;
}

/**
 * The shared chain-head rows of the new inputs among `operations` (`newLog`), where heads share a
 * table, in multi-row inserts (the `deferRecords` counterpart of `chainHeadStatements`).
 */
export function newChainHeadsSql(dialect: Dialect, operations: readonly Operation[], stamp: ApplyStamp): Statement[] {
  if (dialect.chainHeads !== 'shared') return [];
  const heads = operations.filter((op): op is CreateChainHeadOp => op.kind === 'create-chain-head' && op.newLog === true);
  if (heads.length === 0) return [];
  return emptyChainHeadsSql(dialect, heads[0]!.table.schema, heads.map((op) => op.input), stamp.at);
}

/** Fill `<t>__rebuild` from the state table `table` (copied columns, `_key` derived), then swap it in. */
function rebuildStateSql(dialect: Dialect, table: QualifiedName, rebuild: StateRebuild): string[] {
  const { schema, name } = table;
  const temp = `${name}__rebuild`;
  const q = (c: string) => dialect.quoteIdent(c);
  const into = [...rebuild.copied.map(q), ...(rebuild.derivedKey ? [q(rebuild.derivedKey.column)] : [])];
  const from = [...rebuild.copied.map((c) => `s.${q(c)}`), ...(rebuild.derivedKey ? [stateKeySql(dialect, rebuild.derivedKey.from.map((c) => `s.${q(c)}`))] : [])];
  return [
    ...createTableSql(dialect, schema, temp, rebuild.columns, { primaryKey: rebuild.key }),
    `insert into ${dialect.qualify(schema, temp)} (${into.join(', ')}) select ${from.join(', ')} from ${dialect.qualify(schema, name)} s`,
    ...dropTableSql(dialect, schema, name),
    ...renameTableSql(dialect, schema, temp, name),
  ];
}

const VERSION_COLUMNS = ['model', 'version', 'fingerprint', 'sql', 'applied_at', 'applied_by'];
/** Rows per registry insert: 6 bound values each, well under every warehouse's parameter limit. */
const VERSION_ROWS_PER_INSERT = 200;

/**
 * The `_wb_model_versions` rows of the new versions among `ops` (`record: true`), as multi-row
 * inserts of up to 200 rows with every value bound.
 */
export function versionRecordsSql(dialect: Dialect, ops: readonly Operation[], stamp: ApplyStamp): Statement[] {
  const records = ops.filter((op): op is CreateModelVersionOp => op.kind === 'create-model-version' && op.record);
  const registry = dialect.qualify(stamp.metaSchema, MODEL_VERSIONS_TABLE);
  const cols = VERSION_COLUMNS.map((c) => dialect.quoteIdent(c)).join(', ');
  const statements: Statement[] = [];
  for (let start = 0; start < records.length; start += VERSION_ROWS_PER_INSERT) {
    const chunk = records.slice(start, start + VERSION_ROWS_PER_INSERT);
    const rows = chunk.map((_, r) => `(${VERSION_COLUMNS.map((_c, c) => dialect.param(r * VERSION_COLUMNS.length + c + 1)).join(', ')})`);
    statements.push({
      sql: `insert into ${registry} (${cols}) values ${rows.join(', ')}`,
      params: chunk.flatMap((op) => [op.model, op.version, op.fingerprint, op.sql, stamp.at, stamp.user]),
    });
  }
  return statements;
}

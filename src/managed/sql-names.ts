import type { Dialect } from '../dialects/dialect.js';
import type { Project } from '../ir/types.js';
import { chainHeadRow, type ChainHeadRow } from './chain-head-row.js';
import { logTableName, stateTableName } from './names.js';

/** Quoted, qualified names of the managed tables and sources of one project on one target. */
export interface SqlNames {
  dialect: Dialect;
  /** The (unquoted) inputs schema name. */
  inputsSchema: string;
  /** `<inputs>.<t>__log` */
  log(input: string): string;
  /** `<inputs>.<t>` */
  state(input: string): string;
  /** Where `<t>`'s chain head is: `<inputs>.<t>__head`, or its row of `<inputs>._wb_heads` (see chainHeadRow). */
  chainHead(input: string, firstParam?: number): ChainHeadRow;
  /** `<inputs>.<_wb_…>` */
  meta(table: string): string;
  /** The physical table of a declared source table on this target. */
  source(source: string, table: string): string;
  /** Quoted identifier. */
  id(name: string): string;
}

/** Names for `project` on target `targetName`. */
export function sqlNames(project: Project, targetName: string, dialect: Dialect): SqlNames {
  const schema = project.schemas.inputs;
  return {
    dialect,
    inputsSchema: schema,
    log: (input) => dialect.qualify(schema, logTableName(input)),
    state: (input) => dialect.qualify(schema, stateTableName(input)),
    chainHead: (input, firstParam) => chainHeadRow(dialect, schema, input, firstParam),
    meta: (table) => dialect.qualify(schema, table),
    source: (source, table) => {
      const st = project.sources[source]?.tables[table];
      if (!st) throw new Error(`unknown source table ${source}.${table} (resolve should have caught it)`);
      return dialect.qualify(st.schema[targetName] ?? source, st.identifier, st.database[targetName]);
    },
    id: (name) => dialect.quoteIdent(name),
  };
}

import type { Dialect } from '../dialects/dialect.js';
import { CHAIN_HEADS_TABLE, chainHeadTableName } from './names.js';

/** Where one input's chain head is, as SQL: every statement that reads, moves or seeds a head uses this. */
export interface ChainHeadRow {
  /** The quoted, qualified table that holds it: the input's `<t>__head`, or the shared `_wb_heads`. */
  table: string;
  /** The condition that picks its row (none for a one-row table of its own). */
  where: string | undefined;
  /** The values `where` binds (the input's name for the shared table), from the parameter it was asked to start at. */
  params: string[];
  /** The column that names the input in the shared table, for an insert (undefined for its own table). */
  nameColumn: string | undefined;
  /** How an error message names it. */
  label: string;
}

/** The column of `_wb_heads` that names the input a head belongs to (its primary key). */
export const CHAIN_HEAD_NAME_COLUMN = 'table_name';

/** The (unquoted) table that holds `input`'s chain head on `dialect`: its own `<t>__head`, or `_wb_heads`. */
export function chainHeadTable(dialect: Pick<Dialect, 'chainHeads'>, schema: string, input: string): { schema: string; name: string } {
  return { schema, name: dialect.chainHeads === 'shared' ? CHAIN_HEADS_TABLE : chainHeadTableName(input) };
}

/** The chain head of `input` on `dialect` (`Dialect.chainHeads`); `firstParam` is the number of the first parameter `where` binds. */
export function chainHeadRow(dialect: Dialect, schema: string, input: string, firstParam = 1): ChainHeadRow {
  const at = chainHeadTable(dialect, schema, input);
  const table = dialect.qualify(at.schema, at.name);
  if (dialect.chainHeads === 'per-input') return { table, where: undefined, params: [], nameColumn: undefined, label: table };
  const nameColumn = dialect.quoteIdent(CHAIN_HEAD_NAME_COLUMN);
  return { table, where: `${nameColumn} = ${dialect.param(firstParam)}`, params: [input], nameColumn, label: table };
}

/** `conditions` and the condition picking the head's row, joined by `and` (`true` when there are none: an update must have a WHERE on BigQuery). */
export function headCondition(at: ChainHeadRow, ...conditions: string[]): string {
  const all = at.where === undefined ? conditions : [...conditions, at.where];
  return all.length === 0 ? 'true' : all.join(' and ');
}

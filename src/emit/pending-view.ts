import type { Dialect } from '../dialects/dialect.js';
import { PENDING_TABLE } from '../managed/names.js';

/** Columns of `<t>__pending`, in order (`rows` is reserved on some warehouses: every name is quoted). */
const PENDING_VIEW_COLUMNS = ['pending_id', 'scenario', 'op', 'rows', 'row_count', 'proposed_by', 'proposed_role', 'proposed_at', 'comment'];

/** SELECT body of `<views>.<t>__pending`: the table's changes waiting for approval (rows as JSON text). */
export function pendingViewSql(d: Pick<Dialect, 'qualify' | 'literal' | 'quoteIdent'>, inputsSchema: string, table: string): string {
  const q = (c: string) => d.quoteIdent(c);
  return (
    `select ${PENDING_VIEW_COLUMNS.map(q).join(', ')} from ${d.qualify(inputsSchema, PENDING_TABLE)} ` +
    `where ${q('table_name')} = ${d.literal(table)} and ${q('status')} = ${d.literal('pending')}`
  );
}

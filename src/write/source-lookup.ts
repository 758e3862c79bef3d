import type { Adapter, SqlValue } from '../adapters/adapter.js';

/** Above this many distinct tuples, a lookup reads the whole (distinct) column set instead of an IN list. */
const MAX_LISTED = 500;

/**
 * Which of `tuples` exist in `table` (a qualified source name) over `columns`, compared as text.
 * Returns tuple key (JSON of the tuple) → values of `extra` columns (as text) of a matching row.
 */
export async function lookupTuples(
  reader: Adapter,
  table: string,
  columns: string[],
  tuples: string[][],
  extra: string[] = [],
): Promise<Map<string, (string | null)[]>> {
  const d = reader.dialect;
  const str = d.columnType({ kind: 'system', type: 'string' });
  const asText = (c: string) => `cast(${d.quoteIdent(c)} as ${str})`;
  const distinct = new Map<string, string[]>();
  for (const t of tuples) distinct.set(JSON.stringify(t), t);
  const found = new Map<string, (string | null)[]>();
  if (distinct.size === 0) return found;
  const select = [...columns, ...extra].map((c, i) => `${asText(c)} as c${i}`).join(', ');
  const params: SqlValue[] = [];
  let where = '';
  if (distinct.size <= MAX_LISTED) {
    const ors = [...distinct.values()].map((t) => {
      const ands = columns.map((c, i) => {
        params.push(t[i] ?? null);
        return `${asText(c)} = ${d.param(params.length)}`;
      });
      return `(${ands.join(' and ')})`;
    });
    where = ` where ${ors.join(' or ')}`;
  }
  const rows = await reader.query(`select distinct ${select} from ${table}${where}`, params);
  for (const r of rows) {
    const key = JSON.stringify(columns.map((_, i) => String(r[`c${i}`])));
    if (!distinct.has(key) || found.has(key)) continue;
    found.set(
      key,
      extra.map((_, j) => {
        const v = r[`c${columns.length + j}`];
        return v === null || v === undefined ? null : String(v);
      }),
    );
  }
  return found;
}

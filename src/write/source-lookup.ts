import type { Adapter, SqlValue } from '../adapters/adapter.js';

/** Above this many distinct tuples, a lookup reads the whole (distinct) column set instead of an IN list. */
const MAX_LISTED = 500;

/**
 * Which of `tuples` exist in `table` (a qualified source name) over `columns`, compared as text.
 * Returns tuple key (JSON of the tuple) → values of `extra` columns (as text) of a matching row.
 * `scoped` adds conditions on the table (as `s`, values pushed onto the params); undefined from it
 * means no row may be read.
 */
export async function lookupTuples(
  reader: Adapter,
  table: string,
  columns: string[],
  tuples: string[][],
  extra: string[] = [],
  scoped?: (params: SqlValue[], alias: string) => string[] | undefined,
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
  const conditions: string[] = [];
  if (distinct.size <= MAX_LISTED) {
    const ors = [...distinct.values()].map((t) => {
      const ands = columns.map((c, i) => {
        params.push(t[i] ?? null);
        return `${asText(c)} = ${d.param(params.length)}`;
      });
      return `(${ands.join(' and ')})`;
    });
    conditions.push(`(${ors.join(' or ')})`);
  }
  if (scoped) {
    const more = scoped(params, 's');
    if (!more) return found;
    conditions.push(...more);
  }
  const where = conditions.length > 0 ? ` where ${conditions.join(' and ')}` : '';
  const rows = await reader.query(`select distinct ${select} from ${table} s${where}`, params);
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

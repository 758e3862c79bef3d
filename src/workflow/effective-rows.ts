import type { SqlValue } from '../adapters/adapter.js';
import type { InputTable } from '../ir/types.js';
import { scenarioRowsSql } from '../write/state-relation.js';
import { canonicalFromDb, type Canonical } from '../rules/wire-values.js';
import type { WriteContext } from '../write/write-context.js';
import { type CurrentRow, stateKey } from '../write/write-request.js';

const CHUNK = 200;

/**
 * The visible rows of `keys` in the first scenario of `chain`, read through the chain (outside
 * any write transaction), keyed by `stateKey(chain[0], key)`. Keys not visible are absent.
 */
export async function loadEffectiveRows(ctx: WriteContext, input: InputTable, chain: readonly string[], keys: Canonical[][]): Promise<Map<string, CurrentRow>> {
  const out = new Map<string, CurrentRow>();
  const d = ctx.names.dialect;
  const q = (c: string) => d.quoteIdent(c);
  const keyCols = input.key.map((k) => input.columns.find((c) => c.name === k)!);
  for (let start = 0; start < keys.length; start += CHUNK) {
    const chunk = keys.slice(start, start + CHUNK);
    const params: SqlValue[] = [];
    const from = scenarioRowsSql(ctx.names, input, chain, params);
    const ors = chunk.map((key) =>
      `(${keyCols
        .map((c, i) => {
          params.push(key[i] ?? null);
          return `v.${q(c.name)} = cast(${d.param(params.length)} as ${d.columnType(c.type)})`;
        })
        .join(' and ')})`,
    );
    const rows = await ctx.reader.query(`select * from ${from} v where ${ors.join(' or ')}`, params);
    for (const r of rows) {
      const values = input.columns.map((c) => canonicalFromDb(c.type, r[c.name]));
      const key = input.key.map((k) => values[input.columns.findIndex((c) => c.name === k)] ?? null);
      out.set(stateKey(chain[0]!, key), {
        version: Number(r._version ?? 0),
        deleted: false,
        values,
        setColumns: r._set_columns == null ? input.columns.map((c) => `|${c.name}`).join('') + '|' : String(r._set_columns),
        updatedBy: String(r._updated_by),
        updatedAtMs: r._updated_at instanceof Date ? r._updated_at.getTime() : Date.parse(String(r._updated_at)),
      });
    }
  }
  return out;
}

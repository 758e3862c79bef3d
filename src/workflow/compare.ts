import type { InputTable } from '../ir/types.js';
import { readRows } from '../write/read-rows.js';
import type { Actor } from '../auth/actor.js';
import { type Outcome, failure } from '../rules/outcome.js';
import type { StateRow, WireValue } from '../write/types.js';
import { decimalToScaled, scaledToDecimal } from '../rules/column-rules.js';
import type { WriteContext } from '../write/write-context.js';
import { readableScenario } from '../write/scenario-registry.js';

/** One key whose values differ between scenario `a` and `b`. */
export interface CompareRow {
  key: Record<string, WireValue>;
  /** `changed`, or the key is visible in only one of them. */
  status: 'changed' | 'only_in_a' | 'only_in_b';
  /** Columns that differ: values in a and b; `delta` = b − a for numeric columns (decimals exact, as strings). */
  changes: { column: string; a: WireValue; b: WireValue; delta?: number | string | null }[];
}

/** Result of `compare`: per scenario-enabled table, the keys that differ. */
export type CompareResult = Outcome<{ a: string; b: string; tables: { table: string; rows: CompareRow[] }[] }>;

async function allRows(ctx: WriteContext, table: string, scenario: string, actor: Actor | undefined): Promise<Outcome<{ rows: StateRow[] }>> {
  const rows: StateRow[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await readRows(ctx, table, { scenario, limit: 10_000, ...(cursor ? { cursor } : {}), ...(actor ? { actor } : {}) });
    if (!page.ok) return page;
    rows.push(...page.rows);
    if (!page.nextCursor) return { ok: true, rows };
    cursor = page.nextCursor;
  }
}

function delta(input: InputTable, column: string, a: WireValue, b: WireValue): number | string | null | undefined {
  const type = input.columns.find((c) => c.name === column)!.type;
  if (type.kind !== 'integer' && type.kind !== 'number' && type.kind !== 'decimal') return undefined;
  if (a === null || b === null) return null;
  if (type.kind === 'decimal') {
    const x = decimalToScaled(String(a), type.scale);
    const y = decimalToScaled(String(b), type.scale);
    return x === undefined || y === undefined ? null : scaledToDecimal(y - x, type.scale);
  }
  if (type.kind === 'integer') {
    const d = BigInt(String(b)) - BigInt(String(a));
    return d >= BigInt(Number.MIN_SAFE_INTEGER) && d <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(d) : String(d);
  }
  return Number(b) - Number(a);
}

/**
 * Compare two scenarios (each read through its parent chain) key by key, on one table or every
 * scenario-enabled table. Both must be readable (`base` or recorded): an invalid name is
 * `bad_request`, an unknown one `not_found`, as for `rows`.
 */
export async function compareScenarios(ctx: WriteContext, a: string, b: string, opts: { table?: string; actor?: Actor }): Promise<CompareResult> {
  for (const [param, name] of [['a', a], ['b', b]] as const) {
    const known = await readableScenario(ctx.reader, ctx.names, name);
    if (!known.ok) return { ok: false, error: { ...known.error, details: known.error.details.map((d) => ({ ...d, column: param })) } };
  }
  const inputs = Object.values(ctx.project.inputs).filter((t) => t.scenarios && (opts.table === undefined || t.name === opts.table));
  if (opts.table !== undefined && inputs.length === 0)
    return failure(Object.hasOwn(ctx.project.inputs, opts.table) ? 'bad_request' : 'not_found', `${opts.table} is not an input table with scenarios`);
  const tables: { table: string; rows: CompareRow[] }[] = [];
  for (const input of inputs) {
    const ra = await allRows(ctx, input.name, a, opts.actor);
    if (!ra.ok) return ra;
    const rb = await allRows(ctx, input.name, b, opts.actor);
    if (!rb.ok) return rb;
    const keyOf = (r: StateRow) => JSON.stringify(input.key.map((k) => r[k] ?? null));
    const keyObj = (r: StateRow) => Object.fromEntries(input.key.map((k) => [k, r[k] ?? null]));
    const mb = new Map(rb.rows.map((r) => [keyOf(r), r]));
    const rows: CompareRow[] = [];
    const seen = new Set<string>();
    const valueCols = input.columns.filter((c) => !input.key.includes(c.name)).map((c) => c.name);
    for (const x of ra.rows) {
      const k = keyOf(x);
      seen.add(k);
      const y = mb.get(k);
      if (!y) {
        rows.push({ key: keyObj(x), status: 'only_in_a', changes: valueCols.map((c) => ({ column: c, a: x[c] ?? null, b: null })) });
        continue;
      }
      const changes = valueCols
        .filter((c) => (x[c] ?? null) !== (y[c] ?? null))
        .map((c) => {
          const dd = delta(input, c, x[c] ?? null, y[c] ?? null);
          return { column: c, a: x[c] ?? null, b: y[c] ?? null, ...(dd !== undefined ? { delta: dd } : {}) };
        });
      if (changes.length > 0) rows.push({ key: keyObj(x), status: 'changed', changes });
    }
    for (const y of rb.rows)
      if (!seen.has(keyOf(y))) rows.push({ key: keyObj(y), status: 'only_in_b', changes: valueCols.map((c) => ({ column: c, a: null, b: y[c] ?? null })) });
    tables.push({ table: input.name, rows });
  }
  return { ok: true, a, b, tables };
}

import type { Actor } from '../auth/actor.js';
import { rowScope } from '../auth/row-filter.js';
import type { InputTable } from '../ir/types.js';
import { valueChecker } from '../rules/column-rules.js';
import type { Canonical } from '../rules/wire-values.js';
import { lookupTuples } from '../write/source-lookup.js';
import type { WireRow } from '../write/types.js';
import type { WriteContext } from '../write/write-context.js';
import { stateKey } from '../write/write-request.js';
import { loadEffectiveRows } from './effective-rows.js';

/**
 * Which of these rows of a scenario are in the actor's row scope, each as it is (or would be
 * after a write): a column a row carries counts with its value, a column it omits with the
 * current row's (read through the scenario chain), and filters on the linked source with the
 * source row of its key. Pending changes and promote previews show a filtered caller only the
 * rows it passes.
 */
export async function rowsInScope(ctx: WriteContext, input: InputTable, chain: readonly string[], rows: readonly WireRow[], actor: Actor | undefined): Promise<boolean[]> {
  const scope = rowScope(input, actor);
  if (scope.unrestricted) return rows.map(() => true);
  const canonical = (column: string, value: unknown): Canonical | undefined => {
    const col = input.columns.find((c) => c.name === column);
    const checked = col ? valueChecker(col)(value ?? null) : undefined;
    return checked?.ok ? checked.value : undefined;
  };
  const keys = rows.map((r) => input.key.map((k) => canonical(k, r[k]) ?? null));
  const current = scope.onInput.length > 0 ? await loadEffectiveRows(ctx, input, chain, keys) : new Map();
  const link = input.linksTo;
  const sourceColumns = scope.onSource.map((b) => b.filter.column);
  const tuples = link ? rows.map((_, i) => Object.keys(link.on).map((c) => keys[i]![input.key.indexOf(c)] ?? '')) : [];
  const linked = link && sourceColumns.length > 0 ? await lookupTuples(ctx.reader, ctx.names.source(link.source, link.table), Object.values(link.on), tuples, sourceColumns) : new Map();
  return rows.map((row, i) => {
    const cur = current.get(stateKey(chain[0]!, keys[i]!));
    const source = linked.get(JSON.stringify(tuples[i]));
    return scope.admits((f) => {
      if (f.onSource) return source?.[sourceColumns.indexOf(f.column)];
      if (Object.hasOwn(row, f.column)) return canonical(f.column, row[f.column]);
      return cur ? (cur.values[input.columns.findIndex((c) => c.name === f.column)] ?? null) : null;
    });
  });
}

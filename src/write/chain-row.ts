import type { InputTable } from '../ir/types.js';
import type { Canonical } from '../rules/wire-values.js';
import { type CurrentRow, stateKey } from './write-request.js';

/**
 * A key's row as seen through a scenario chain (itself first, `base` last), from each level's
 * state row — the in-memory twin of `resolvedRowsSql` (src/workflow/resolved-rows.ts), used inside
 * the write transaction:
 * - a level is *decisive* when it is a tombstone or has set columns (a reset row is transparent);
 *   the row is visible when the nearest decisive level is not a tombstone, else undefined;
 * - each non-key column takes the value of the nearest live level that set it (else null);
 * - `version` is the scenario's own row's (0 when it has none), `updatedBy/At` the decisive level's.
 */
export function rowThroughChain(
  input: InputTable,
  chain: readonly string[],
  key: Canonical[],
  current: (stateKey: string) => CurrentRow | undefined,
): CurrentRow | undefined {
  const levels = chain.map((s) => current(stateKey(s, key)));
  const decisive = levels.findIndex((row) => row !== undefined && (row.deleted || row.setColumns !== null));
  if (decisive < 0 || levels[decisive]!.deleted) return undefined;
  const values: Canonical[] = [];
  let setColumns = '|';
  input.columns.forEach((c, i) => {
    const marker = `|${c.name}|`;
    if (input.key.includes(c.name)) {
      values.push(key[input.key.indexOf(c.name)] ?? null);
      setColumns += `${c.name}|`;
      return;
    }
    const from = levels.find((row) => row !== undefined && !row.deleted && (row.setColumns ?? '').includes(marker));
    values.push(from ? (from.values[i] ?? null) : null);
    if (from) setColumns += `${c.name}|`;
  });
  const decider = levels[decisive]!;
  return { version: levels[0]?.version ?? 0, deleted: false, values, setColumns, updatedBy: decider.updatedBy, updatedAtMs: decider.updatedAtMs };
}

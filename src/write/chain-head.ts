import type { Adapter } from '../adapters/adapter.js';
import { WarehouseError } from '../adapters/warehouse-error.js';
import { CHAIN_HEADS_TABLE } from '../managed/names.js';
import type { SqlNames } from '../managed/sql-names.js';

/** The head of a table's hash chain. */
export interface ChainHead {
  seq: number;
  /** Empty before the first entry. */
  head: string;
}

/**
 * Another writer advanced the chain between our read and our compare-and-swap: a `conflict`
 * (the transaction runner rolls back and decides the group again on a fresh head).
 */
export class ChainMovedError extends WarehouseError {
  override readonly name = 'ChainMovedError';

  constructor(message: string) {
    super('conflict', message);
  }
}

/** Read the head (creating the table's row at seq 0 when missing), inside the write transaction. */
export async function readChainHead(tx: Adapter, names: SqlNames, table: string, nowMs: number): Promise<ChainHead> {
  const d = names.dialect;
  const heads = names.meta(CHAIN_HEADS_TABLE);
  const rows = await tx.query<{ seq: number | string; head: string }>(`select seq, head from ${heads} where table_name = ${d.param(1)}`, [table]);
  if (rows.length > 1) throw new ChainMovedError(`${rows.length} chain-head rows for ${table}`);
  if (rows[0]) return { seq: Number(rows[0].seq), head: rows[0].head };
  await tx.execute(
    `insert into ${heads} (table_name, seq, head, updated_at) values (${d.param(1)}, ${d.param(2)}, ${d.param(3)}, ${d.param(4)})`,
    [table, 0n, '', new Date(nowMs)],
  );
  return { seq: 0, head: '' };
}

/**
 * Take the row lock of a table's chain head before reading anything (`update … set seq = seq`):
 * writers in other processes queue here instead of deciding on data that is about to change.
 * Under READ COMMITTED (Postgres, Snowflake) every later statement of the transaction then sees
 * the latest committed head and rows. With `expected` (the head this writer committed last), the
 * lock is taken only if the head is still that one, and true says so: the cached head can be used
 * as is. Else (another process committed since, or no cache) the row is locked unconditionally and
 * false says the head must be read. No row yet (first write): nothing to lock; the insert in
 * `readChainHead` and the compare-and-swap decide.
 */
export async function lockChainHead(tx: Adapter, names: SqlNames, table: string, expected?: ChainHead): Promise<boolean> {
  const d = names.dialect;
  const update = `update ${names.meta(CHAIN_HEADS_TABLE)} set seq = seq where table_name = ${d.param(1)}`;
  if (expected && (await tx.execute(`${update} and seq = ${d.param(2)} and head = ${d.param(3)}`, [table, BigInt(expected.seq), expected.head])) === 1) return true;
  await tx.execute(update, [table]);
  return false;
}

/** Compare-and-swap the head: exactly one row must change, else another writer moved it (throws ChainMovedError). */
export async function advanceChainHead(tx: Adapter, names: SqlNames, table: string, from: ChainHead, to: ChainHead, nowMs: number): Promise<void> {
  const d = names.dialect;
  const changed = await tx.execute(
    `update ${names.meta(CHAIN_HEADS_TABLE)} set seq = ${d.param(1)}, head = ${d.param(2)}, updated_at = ${d.param(3)} ` +
      `where table_name = ${d.param(4)} and seq = ${d.param(5)} and head = ${d.param(6)}`,
    [BigInt(to.seq), to.head, new Date(nowMs), table, BigInt(from.seq), from.head],
  );
  if (changed !== 1) throw new ChainMovedError(`chain head of ${table} moved (compare-and-swap changed ${changed} rows)`);
}

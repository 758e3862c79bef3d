import type { Adapter } from '../adapters/adapter.js';
import { WarehouseError } from '../adapters/warehouse-error.js';
import { headCondition } from '../managed/chain-head-row.js';
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

/**
 * Read the head of `input`'s chain inside the write transaction: the one row of its `<t>__head`, or
 * its row of `_wb_heads` (`Dialect.chainHeads`), which `apply` created with the input (writers never
 * create it, so two first writers of a warehouse without enforced keys cannot fork the chain with
 * two heads).
 */
export async function readChainHead(tx: Adapter, names: SqlNames, input: string): Promise<ChainHead> {
  const rows = await chainHeadRows(tx, names, input);
  if (rows.length !== 1) {
    const at = names.chainHead(input);
    throw new Error(
      rows.length === 0
        ? `the chain head of ${input} (${at.label}) is missing: run \`writeback apply\` (it creates the chain head of every input table)`
        : `the chain head of ${input} (${at.label}) has ${rows.length} rows instead of one: it was changed outside writeback; run \`writeback verify\``,
    );
  }
  return { seq: Number(rows[0]!.seq), head: rows[0]!.head };
}

/** The rows `input`'s chain head has (one, unless it was changed outside writeback): what `readChainHead` and `verify` read. */
export function chainHeadRows(db: Adapter, names: SqlNames, input: string): Promise<{ seq: number | string | bigint; head: string }[]> {
  const at = names.chainHead(input);
  return db.query(`select ${names.id('seq')}, ${names.id('head')} from ${at.table}${at.where ? ` where ${at.where}` : ''}`, at.params);
}

/**
 * Take the row lock of `input`'s chain head before reading anything (`update … set seq = seq`):
 * writers in other processes queue here instead of deciding on data that is about to change, and
 * writers of other inputs never wait (each input has its own head table, or row). Under READ COMMITTED
 * (Postgres, Snowflake) every later statement of the transaction then sees the latest committed
 * head and rows. With `expected` (the head this writer committed last), the lock is taken only if
 * the head is still that one, and true says so: the cached head can be used as is. Else (another
 * process committed since, or no cache) the row is locked unconditionally and false says the head
 * must be read.
 */
export async function lockChainHead(tx: Adapter, names: SqlNames, input: string, expected?: ChainHead): Promise<boolean> {
  const d = names.dialect;
  const seq = names.id('seq');
  if (expected) {
    const at = names.chainHead(input, 3);
    const locked = await tx.execute(`update ${at.table} set ${seq} = ${seq} where ${headCondition(at, `${seq} = ${d.param(1)}`, `${names.id('head')} = ${d.param(2)}`)}`, [
      BigInt(expected.seq),
      expected.head,
      ...at.params,
    ]);
    if (locked === 1) return true;
  }
  const at = names.chainHead(input);
  await tx.execute(`update ${at.table} set ${seq} = ${seq} where ${headCondition(at)}`, at.params);
  return false;
}

/** Compare-and-swap the head: exactly one row must change, else another writer moved it (throws ChainMovedError). */
export async function advanceChainHead(tx: Adapter, names: SqlNames, input: string, from: ChainHead, to: ChainHead, nowMs: number): Promise<void> {
  const d = names.dialect;
  const [seq, head] = [names.id('seq'), names.id('head')];
  const at = names.chainHead(input, 6);
  const changed = await tx.execute(
    `update ${at.table} set ${seq} = ${d.param(1)}, ${head} = ${d.param(2)}, ${names.id('updated_at')} = ${d.param(3)} ` +
      `where ${headCondition(at, `${seq} = ${d.param(4)}`, `${head} = ${d.param(5)}`)}`,
    [BigInt(to.seq), to.head, new Date(nowMs), BigInt(from.seq), from.head, ...at.params],
  );
  if (changed !== 1) throw new ChainMovedError(`chain head of ${input} moved (compare-and-swap changed ${changed} rows)`);
}

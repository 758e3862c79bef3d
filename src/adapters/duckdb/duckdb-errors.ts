import { WarehouseLockedError } from '../usage-error.js';
import { WarehouseError } from '../warehouse-error.js';

// DuckDB's node API gives errors a message and no code, so this file is the one place where
// DuckDB's message text is read.

/** Optimistic-concurrency aborts: another connection changed the row, or committed the same key first. */
const CONFLICT = /^TransactionContext Error: (Conflict on |Catalog write-write conflict|Failed to commit: PRIMARY KEY or UNIQUE constraint)|Transaction conflict/i;
/** A unique key taken (the caller checked before inserting, so another connection took it meanwhile). */
const DUPLICATE_KEY = /^Constraint Error: Duplicate key .* violates (primary key|unique) constraint/i;
/** Opening a file another process holds: `Conflicting lock is held in <program> (PID n) by user …`. */
const LOCK_HELD = /Conflicting lock is held in (.*?)(?: \(PID (\d+)\))?(?: by user|\.|$)/;

/** A DuckDB failure as a `conflict` WarehouseError when it is one; anything else unchanged. */
export function duckdbError(err: unknown): unknown {
  if (!(err instanceof Error)) return err;
  if (CONFLICT.test(err.message) || DUPLICATE_KEY.test(err.message)) return new WarehouseError('conflict', err.message, { cause: err });
  return err;
}

/** A failure to open `path`: a file held by another process becomes a WarehouseLockedError naming the holder; anything else unchanged. */
export function duckdbOpenError(err: unknown, path: string): unknown {
  const holder = err instanceof Error ? LOCK_HELD.exec(err.message) : null;
  if (!holder) return err;
  const pid = holder[2] ? Number(holder[2]) : undefined;
  return new WarehouseLockedError(
    `${path} is held by another process${pid ? ` (PID ${pid})` : ''}: a DuckDB file has one writer at a time. ` +
      'Stop that process, or, if it is `writeback serve` or `writeback dev`, go through its API (the writeback CLI does so by itself); ' +
      'BI tools should read target/snapshot.duckdb instead.',
    path,
    pid,
  );
}

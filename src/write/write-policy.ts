import type { Adapter } from '../adapters/adapter.js';
import type { SqlNames } from '../managed/sql-names.js';
import type { WriteResult, WrittenEntry } from './types.js';
import type { PreparedRequest } from './write-request.js';

export type { WriteEffect } from './write-request.js';

/**
 * What the write path asks of the rules above it; the planning workflows implement it. The write
 * path validates, authorizes, decides each row and commits. A policy may refuse or reshape a
 * request before it queues (its scenario chain, a proposal instead of a write, effects to commit),
 * and commits those effects inside the request's transaction.
 */
export interface WritePolicy {
  /** After validation, before the request queues: a final result (refused), or undefined to commit it. `rows` are the rows as sent. */
  admit(req: PreparedRequest, rows: readonly unknown[]): Promise<WriteResult | undefined>;
  /**
   * Inside the transaction, once the request's entries are decided: commit `req.effects`. A failed
   * result drops the request's entries (nothing of it is written); another result replaces its answer.
   */
  commitEffects(tx: Adapter, names: SqlNames, req: PreparedRequest, entries: readonly WrittenEntry[], at: string): Promise<WriteResult | undefined>;
}

/** The policy of a write path without workflows: admits every request, commits nothing more. */
export const NO_POLICY: WritePolicy = {
  admit: () => Promise.resolve(undefined),
  commitEffects: () => Promise.resolve(undefined),
};

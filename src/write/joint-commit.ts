import type { Adapter } from '../adapters/adapter.js';
import { runTransaction, writeRetry } from '../adapters/run-transaction.js';
import { commitGroup, type WriterMemory } from './commit-group.js';
import type { SqlNames } from '../managed/sql-names.js';
import { prepareStages, type StageCache } from './table-writer.js';
import type { WriteResult } from './types.js';
import type { PreparedRequest } from './write-request.js';
import { NO_POLICY, type WritePolicy } from './write-policy.js';

/** Outcome of a joint commit: every request's result, or the first refused request (nothing was written). */
export type JointOutcome = { ok: true; results: WriteResult[] } | { ok: false; index: number; result: Extract<WriteResult, { ok: false }> };

/** Thrown inside the transaction to roll every table back when one request is refused. */
class Refused extends Error {
  constructor(
    readonly index: number,
    readonly result: Extract<WriteResult, { ok: false }>,
  ) {
    super('refused');
  }
}

/**
 * Commits requests of several input tables in ONE transaction on its own connection: all of them
 * or none (a scenario promoted into its parent). Each table's requests are decided and written
 * exactly as a table writer's group would be (commitGroup); the caller holds those tables'
 * writers (`TableWriter.exclusive`) meanwhile, in table-name order, and makes them `forget` after.
 */
export class JointCommitter {
  private readonly stageCache: StageCache = new Map();
  private lastAtMs = 0;

  constructor(
    private readonly conn: Adapter,
    private readonly names: () => SqlNames,
    private readonly policy: WritePolicy = NO_POLICY,
  ) {}

  /** Decide and write every request in one transaction (retried when another writer got there first); the first refusal rolls all back. */
  async commit(requests: PreparedRequest[]): Promise<JointOutcome> {
    const names = this.names();
    const byTable = new Map<string, number[]>();
    requests.forEach((r, i) => byTable.set(r.input.name, [...(byTable.get(r.input.name) ?? []), i]));
    const tables = [...byTable.keys()].sort();
    const stages = new Map<string, Awaited<ReturnType<typeof prepareStages>>>();
    for (const t of tables) stages.set(t, await prepareStages(this.conn, names, requests[byTable.get(t)![0]!]!.input, this.stageCache));
    try {
      const results = await runTransaction(
        this.conn,
        async (tx) => {
          const atMs = (this.lastAtMs = Math.max(Date.now(), this.lastAtMs));
          const out: WriteResult[] = new Array(requests.length);
          for (const t of tables) {
            const indexes = byTable.get(t)!;
            const memory: WriterMemory = { recentIds: new Set(), checkAllIds: true };
            const group = await commitGroup(tx, names, requests[indexes[0]!]!.input, stages.get(t)!, indexes.map((i) => requests[i]!), atMs, memory, this.policy);
            group.results.forEach((r, j) => {
              if (!r.ok) throw new Refused(indexes[j]!, r);
              out[indexes[j]!] = r;
            });
          }
          return out;
        },
        writeRetry(this.conn),
      );
      return { ok: true, results };
    } catch (err) {
      if (err instanceof Refused) return { ok: false, index: err.index, result: err.result };
      throw err;
    }
  }
}

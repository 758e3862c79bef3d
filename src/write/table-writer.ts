import type { Adapter } from '../adapters/adapter.js';
import { runTransaction, writeRetry } from '../adapters/run-transaction.js';
import { isWarehouseError } from '../adapters/warehouse-error.js';
import { logTableName, stateTableName } from '../managed/names.js';
import { STATE_KEY_COLUMN } from '../managed/tables.js';
import type { InputTable } from '../ir/types.js';
import { commitGroup, type GroupOutcome, logLayout, type StageTables, type WriterMemory } from './commit-group.js';
import type { SqlNames } from '../managed/sql-names.js';
import { createStageTableSql } from './stage-rows.js';
import { keyStageColumns } from './state-lookup.js';
import type { WriteResult } from './types.js';
import type { PreparedRequest } from './write-request.js';
import { NO_POLICY, type WritePolicy } from './write-policy.js';

/** A group stops growing once it holds this many rows (a bigger single request still runs alone). */
const GROUP_ROWS = 50_000;
/** Request ids remembered per table before the memory starts over (a forgotten id that comes back fails the unique key once and is replayed on retry). */
const MAX_RECENT_IDS = 100_000;

interface Waiting {
  req: PreparedRequest;
  resolve: (r: WriteResult) => void;
  reject: (e: unknown) => void;
}

/** A FIFO lock: `run` calls wait for the ones before them. */
class Lock {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(fn);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

/** The staging facts of one connection for each input it committed (see `prepareStages`). */
export type StageCache = Map<string, { input: InputTable; session: number | undefined; stages: StageTables }>;

/**
 * (Re)create the temporary key table of `input` on `conn` and read its log's physical column
 * order, once per input definition and warehouse session (a re-loaded project, or a session the
 * adapter re-opened after losing one, prepares again).
 */
export async function prepareStages(conn: Adapter, names: SqlNames, input: InputTable, cache: StageCache): Promise<StageTables> {
  const cached = cache.get(input.name);
  if (cached?.input === input && cached.session === conn.sessionNumber) return cached.stages;
  const d = conn.dialect;
  const stages: StageTables = { keys: `_wb_keys_${input.name}` };
  const tables = await conn.describeSchemas([names.inputsSchema]);
  const log = tables.find((t) => t.name === logTableName(input.name));
  if (!log) throw new Error(`${names.log(input.name)} does not exist: run \`writeback apply\` first`);
  // a state table laid out by an earlier version (no `_key`) is rebuilt by apply, not written around
  const state = d.stateKeyColumn ? tables.find((t) => t.name === stateTableName(input.name)) : undefined;
  if (state && !state.columns.some((c) => c.name === STATE_KEY_COLUMN.name))
    throw new Error(`${names.state(input.name)} has the layout of an earlier version (no ${STATE_KEY_COLUMN.name}): run \`writeback apply\` first`);
  stages.logLayout = logLayout(input, log.columns.map((c) => c.name));
  await conn.execute(`drop table if exists ${d.quoteIdent(stages.keys)}`);
  await conn.execute(createStageTableSql(conn, stages.keys, keyStageColumns(input)));
  cache.set(input.name, { input, session: conn.sessionNumber, stages });
  return stages;
}

/**
 * Serializes the writes of one input table on its own connection, with group commit: requests
 * that arrive while a transaction runs are committed together in the next one, each decided on
 * its own. If a group's transaction fails for another reason than a lost connection, its requests
 * are retried one by one (one request's data must not fail the others). A lost connection fails
 * every request of the group: the commit may have happened, so nothing is repeated blindly — a
 * client retry with the same request id is replayed from its idempotency record if it did.
 * `exclusive` runs work between two groups with the queue paused (a commit across tables).
 */
export class TableWriter {
  private queue: Waiting[] = [];
  private running: Promise<void> | undefined;
  private lastAtMs = 0;
  private readonly lock = new Lock();
  private readonly stageCache: StageCache = new Map();
  private readonly memory: WriterMemory = { recentIds: new Set(), checkAllIds: false };

  constructor(
    private readonly conn: Adapter,
    private readonly names: () => SqlNames,
    readonly table: string,
    private readonly policy: WritePolicy = NO_POLICY,
  ) {}

  /** Run `fn` between two groups of this table, its queue paused meanwhile. */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    return this.lock.run(fn);
  }

  /** Another connection wrote this table: read the chain head and every request id again next time. */
  forget(): void {
    this.memory.head = undefined;
    this.memory.checkAllIds = true;
  }

  /** Queue a prepared request; resolves with its result once its group committed. */
  submit(req: PreparedRequest): Promise<WriteResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ req, resolve, reject });
      if (!this.running) this.running = this.drain().finally(() => (this.running = undefined));
    });
  }

  /** Resolves when the queue is empty. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const group: Waiting[] = [];
      let rows = 0;
      while (this.queue.length > 0 && (group.length === 0 || rows + this.queue[0]!.req.rows.length <= GROUP_ROWS)) {
        const w = this.queue.shift()!;
        group.push(w);
        rows += w.req.rows.length;
      }
      await this.lock.run(() => this.runGroup(group));
    }
  }

  private async runGroup(group: Waiting[]): Promise<void> {
    try {
      const results = await this.commit(group.map((w) => w.req));
      group.forEach((w, i) => w.resolve(results[i]!));
    } catch (err) {
      if (group.length === 1 || isWarehouseError(err, 'connection-lost')) {
        for (const w of group) w.reject(err);
        return;
      }
      for (const w of group) await this.runGroup([w]);
    }
  }

  private async commit(requests: PreparedRequest[]): Promise<WriteResult[]> {
    const input = requests[0]!.input;
    const stages = await prepareStages(this.conn, this.names(), input, this.stageCache);
    const outcome = await runTransaction(
      this.conn,
      (tx) => {
        const atMs = (this.lastAtMs = Math.max(Date.now(), this.lastAtMs));
        return commitGroup(tx, this.names(), input, stages, requests, atMs, this.memory, this.policy);
      },
      // a `conflict` or `retryable` failure (another writer got there first, the chain-head
      // compare-and-swap missed, a lock queue or DML quota was full) is tried again within the
      // dialect's budget; whatever failed, the next attempt reads the chain head and every request id again
      { ...writeRetry(this.conn), onRollback: () => this.forget() },
    );
    this.remember(outcome);
    return outcome.results;
  }

  private remember(outcome: GroupOutcome): void {
    this.memory.head = outcome.head;
    this.memory.checkAllIds = false;
    if (this.memory.recentIds.size > MAX_RECENT_IDS) this.memory.recentIds.clear();
    for (const id of outcome.recordedIds) this.memory.recentIds.add(id);
  }
}

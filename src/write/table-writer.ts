import type { Adapter } from '../adapters/adapter.js';
import { logTableName } from '../managed/names.js';
import type { InputTable } from '../ir/types.js';
import { ChainMovedError } from './chain-head.js';
import { commitGroup, type GroupOutcome, logLayout, type StageTables, type WriterMemory } from './commit-group.js';
import type { SqlNames } from '../managed/sql-names.js';
import { createStageTableSql } from './stage-rows.js';
import { keyStageColumns } from './state-lookup.js';
import type { WriteResult } from './types.js';
import type { PreparedRequest } from './write-request.js';

/** A group stops growing once it holds this many rows (a bigger single request still runs alone). */
const GROUP_ROWS = 50_000;
/** Retries of a group when another writer got there first (see isRetryable); backoff doubles from 1 ms. */
export const CAS_RETRIES = 12;

/**
 * Another writer got there first: our chain-head compare-and-swap missed, or the warehouse
 * aborted the transaction for a concurrent update (DuckDB "Transaction conflict", Postgres/BigQuery
 * "could not serialize", "concurrent update"), or a unique key we check before inserting was
 * taken meanwhile (the chain-head row of a new table, an idempotency key, a new state key).
 * The whole group is decided again (reads included).
 */
export function isRetryable(err: unknown): boolean {
  if (err instanceof ChainMovedError) return true;
  const message = err instanceof Error ? err.message : String(err);
  return /transaction conflict|conflict on update|could not serialize|concurrent update|constraint violation|duplicate key|too many DML statements outstanding|number of waiters for this lock exceeds|deadlock/i.test(message);
}

/** Wait before retry `attempt` of a transaction another writer got to first (doubling from 1 ms, with jitter). */
export function retryDelay(attempt: number): Promise<void> {
  return new Promise((r) => setTimeout(r, 2 ** attempt + Math.random() * 5));
}

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
export type StageCache = Map<string, { input: InputTable; stages: StageTables }>;

/**
 * (Re)create the temporary key table of `input` on `conn` and read its log's physical column
 * order, once per input definition (a re-loaded project prepares again).
 */
export async function prepareStages(conn: Adapter, names: SqlNames, input: InputTable, cache: StageCache): Promise<StageTables> {
  const cached = cache.get(input.name);
  if (cached?.input === input) return cached.stages;
  const d = conn.dialect;
  const stages: StageTables = { keys: `_wb_keys_${input.name}` };
  const tables = await conn.describeSchemas([names.inputsSchema]);
  const log = tables.find((t) => t.name === logTableName(input.name));
  if (!log) throw new Error(`${names.log(input.name)} does not exist: run \`writeback apply\` first`);
  stages.logLayout = logLayout(input, log.columns.map((c) => c.name));
  await conn.execute(`drop table if exists ${d.quoteIdent(stages.keys)}`);
  await conn.execute(createStageTableSql(conn, stages.keys, keyStageColumns(input)));
  cache.set(input.name, { input, stages });
  return stages;
}

/**
 * Serializes the writes of one input table on its own connection, with group commit: requests
 * that arrive while a transaction runs are committed together in the next one, each decided on
 * its own. If a group's transaction fails unexpectedly, its requests are retried one by one.
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
      const results = await this.commitWithRetry(group.map((w) => w.req));
      group.forEach((w, i) => w.resolve(results[i]!));
    } catch (err) {
      if (group.length === 1) {
        group[0]!.reject(err);
        return;
      }
      for (const w of group) await this.runGroup([w]);
    }
  }

  private async commitWithRetry(requests: PreparedRequest[]): Promise<WriteResult[]> {
    const input = requests[0]!.input;
    const stages = await prepareStages(this.conn, this.names(), input, this.stageCache);
    for (let attempt = 0; ; attempt++) {
      const atMs = (this.lastAtMs = Math.max(Date.now(), this.lastAtMs));
      try {
        const outcome = await this.conn.transaction((tx) => commitGroup(tx, this.names(), input, stages, requests, atMs, this.memory));
        this.remember(outcome);
        return outcome.results;
      } catch (err) {
        this.forget();
        if (!isRetryable(err) || attempt >= CAS_RETRIES) throw err;
        await retryDelay(attempt);
      }
    }
  }

  private remember(outcome: GroupOutcome): void {
    this.memory.head = outcome.head;
    this.memory.checkAllIds = false;
    if (this.memory.recentIds.size > MAX_RECENT_IDS) this.memory.recentIds.clear();
    for (const id of outcome.recordedIds) this.memory.recentIds.add(id);
  }
}

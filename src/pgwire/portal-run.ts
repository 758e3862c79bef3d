import type { SqlOutcome, SqlSession } from '../sqlsession/types.js';

/** A portal closed (Close, Sync, another statement) while its rows were suspended. */
export class PortalClosed extends Error {
  constructor() {
    super('portal closed');
  }
}

/** A row as the session hands it over. */
export type WireRow = (string | Buffer | null)[];

/**
 * One statement running for a portal, delivered in slices: `next(limit)` lets `limit` rows (0 =
 * all) through `sendRow`, then answers `suspended` while the statement waits, paused in its row
 * callback, for the next `next` (Execute's row limit → PortalSuspended) — or `done` when it ended.
 */
export class PortalRun {
  private waiter: ((r: 'suspended' | 'done') => void) | undefined;
  private paused: { resume: () => void; abort: (e: Error) => void } | undefined;
  private limit = 0;
  private sentNow = 0;
  private aborted = false;
  private finished = false;
  /** The statement's outcome once it ended well. */
  outcome: SqlOutcome | undefined;
  /** Why it failed, once it failed. */
  error: unknown;
  /** Settles (never rejects) when the statement has ended either way. */
  readonly settled: Promise<void>;

  constructor(
    session: SqlSession,
    sql: string,
    params: (string | Buffer | null)[],
    binaryColumns: boolean[],
    private readonly sendRow: (row: WireRow) => Promise<void> | undefined,
  ) {
    this.settled = Promise.resolve()
      .then(() => session.run(sql, params, (row) => this.onRow(row), { binaryColumns }))
      .then(
        (outcome) => {
          this.outcome = outcome;
        },
        (err: unknown) => {
          this.error = err;
        },
      )
      .finally(() => {
        this.finished = true;
        const w = this.waiter;
        this.waiter = undefined;
        w?.('done');
      });
  }

  private async onRow(row: WireRow): Promise<void> {
    if (this.aborted) throw new PortalClosed();
    await this.sendRow(row);
    this.sentNow += 1;
    if (this.limit > 0 && this.sentNow >= this.limit) {
      await new Promise<void>((resolve, reject) => {
        this.paused = { resume: resolve, abort: reject };
        const w = this.waiter;
        this.waiter = undefined;
        w?.('suspended');
      });
    }
  }

  /** Whether the statement has ended. */
  get done(): boolean {
    return this.finished;
  }

  /** Let `limit` more rows through (0 = all); resolves when they were sent or the statement ended. */
  next(limit: number): Promise<'suspended' | 'done'> {
    this.limit = limit;
    this.sentNow = 0;
    if (this.finished) return Promise.resolve('done');
    return new Promise((resolve) => {
      this.waiter = resolve;
      const p = this.paused;
      this.paused = undefined;
      p?.resume();
    });
  }

  /** Stop a suspended statement (its remaining rows are never read); resolves when it has ended. */
  async abort(): Promise<void> {
    this.aborted = true;
    const p = this.paused;
    this.paused = undefined;
    p?.abort(new PortalClosed());
    await this.settled;
  }
}

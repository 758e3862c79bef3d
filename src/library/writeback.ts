import type { Adapter } from '../adapters/adapter.js';
import { checkPermission } from '../auth/permissions.js';
import { SessionStore } from '../auth/sessions.js';
import { DEFAULT_PERSONAL_TOKEN_LIFETIME_SECONDS, TokenStore, type PersonalTokenLimit } from '../auth/tokens.js';
import { UserDirectory } from '../auth/users.js';
import type { Project, InputTable } from '../ir/types.js';
import { prepareRequest, sourceFilterProblems } from '../write/prepare-request.js';
import type { PreparedRequest } from '../write/write-request.js';
import { failure } from '../rules/outcome.js';
import { readHistory } from '../write/read-history.js';
import { readRows } from '../write/read-rows.js';
import { readGrid, type GridReadOptions, type GridReadResult } from '../write/grid-read.js';
import { sqlNames } from '../managed/sql-names.js';
import { TableWriter } from '../write/table-writer.js';
import type { Actor } from '../auth/actor.js';
import type { HistoryOptions, HistoryResult, ReadOptions, ReadResult, VerifyReport, WireRow, WriteOptions, WriteResult } from '../write/types.js';
import { verifyTables } from '../write/verify.js';
import { idempotencyRetentionDays, pruneIdempotency } from '../write/idempotency.js';
import type { WriteContext } from '../write/write-context.js';
import { type InternalWrite, Workflows } from '../workflow/workflows.js';
import { JointCommitter, type JointOutcome } from '../write/joint-commit.js';
import { Deployment } from './deployment.js';
import { listModels, type ModelInfo } from './model-list.js';
import { readModelRows, type ModelReadOptions, type ModelReadResult } from './model-rows.js';
import { readContext, type ContextReadOptions, type ContextReadResult } from './source-context.js';
import { readPlanningContext, type PlanningContextResult } from './planning-context.js';
import { readSourceValues, type SourceValuesResult } from './source-values.js';
import { readQuery, type QueryOptions, type QueryResult } from './read-query.js';
import { openSnapshotConnection } from '../snapshot/snapshot-connection.js';
import { createSnapshotPublisher, type SnapshotPublisher, type SnapshotPublisherOptions } from '../snapshot/snapshot-publisher.js';

/** Options of `createWriteback`. */
export interface WritebackOptions {
  /** Name of the target the adapter is connected to (sources are named per target). */
  targetName: string;
  /** Close the adapter on `close()` (true when openProject opened it). Default false. */
  ownsAdapter?: boolean;
  /** Largest batch accepted; default 1,000,000 rows. */
  maxBatchRows?: number;
}

/** An adapter that can open a second connection to the same database (DuckDB: same instance). */
type Forkable = Adapter & { fork(): Promise<Adapter> };

function canFork(adapter: Adapter): adapter is Forkable {
  return typeof (adapter as { fork?: unknown }).fork === 'function';
}

/** The write-path library over one project on one target. Build it with `openProject` or `createWriteback`. */
export class Writeback {
  private readonly writers = new Map<string, TableWriter>();
  private readonly connections: Adapter[] = [];
  private ctx: WriteContext;
  private closed = false;

  /** Input-table operations. */
  readonly inputs = {
    /** Input tables the actor may read (administrator: all). */
    list: (actor?: Actor): InputTable[] => Object.values(this.ctx.project.inputs).filter((t) => !checkPermission(t, actor, 'read')),
    /** Upsert a batch of rows atomically; see CONTEXT.md for the semantics. */
    write: (table: string, rows: readonly WireRow[] | readonly unknown[], opts: WriteOptions): Promise<WriteResult> => this.submit('upsert', table, rows, opts),
    /** Delete a batch of keys atomically (rows hold the key and optionally `_version`). */
    delete: (table: string, keys: readonly WireRow[] | readonly unknown[], opts: WriteOptions): Promise<WriteResult> => this.submit('delete', table, keys, opts),
    /** Rows of one scenario, current or as of a time, keyset-paginated. */
    rows: (table: string, opts?: ReadOptions): Promise<ReadResult> => readRows(this.ctx, table, opts),
    /** One page of rows for a grid: search, sort, offset paging (over rows or groups), count and numeric sums on the warehouse. */
    grid: (table: string, opts?: GridReadOptions): Promise<GridReadResult> => readGrid(this.ctx, table, opts),
    /** Log entries with old → new values per changed column, oldest first. */
    history: (table: string, opts?: HistoryOptions): Promise<HistoryResult> => readHistory(this.ctx, table, opts),
  };

  /** Merged-view reads. */
  readonly models = {
    /** Rows of a model's view (or `__by_scenario` view) under the reader's row filters, streamed; see model-rows.ts. */
    rows: (model: string, opts?: ModelReadOptions): Promise<ModelReadResult> =>
      readModelRows({ project: this.ctx.project, adapter: this.ctx.reader, scenarios: () => this.scenarios.list() }, model, opts),
    /** The models the actor may read, with the inputs each reads and how (model-list.ts). */
    list: (actor?: Actor): ModelInfo[] => listModels(this.ctx.project, actor),
  };

  /** Reads of the sources input tables link to (what the planner form shows beside the inputs). */
  readonly sources = {
    /** A page of the source an input table links to, under the reader's row filters. */
    context: (table: string, opts: ContextReadOptions): Promise<ContextReadResult> => readContext(this.ctx, table, opts),
    /** The allowed values of a column declared `values: { source, column }`. */
    values: (table: string, column: string, actor?: Actor): Promise<SourceValuesResult> => readSourceValues(this.ctx, table, column, actor),
    /** The `planning.context` values (e.g. actuals per account and quarter) under the reader's row filters. */
    planningContext: (table: string, actor?: Actor): Promise<PlanningContextResult> => readPlanningContext(this.ctx, table, actor),
  };

  /** Plan/apply against this connection, and whether the warehouse matches the project. */
  readonly deploy: Deployment;

  /**
   * Start publishing read-only copies of the warehouse for BI tools (a DuckDB file: one process
   * holds it), on a connection of its own that closing the publisher closes; undefined where the
   * warehouse needs none (every other target is read by BI tools directly).
   */
  async publishSnapshots(options: SnapshotPublisherOptions): Promise<SnapshotPublisher | undefined> {
    const conn = await openSnapshotConnection(this.adapter);
    if (!conn) return undefined;
    this.connections.push(conn);
    return createSnapshotPublisher(conn, { inputsSchema: this.project.schemas.inputs, ...options });
  }

  /** API tokens (`_wb_tokens`): service tokens, and personal tokens people create for their scripts. */
  readonly tokens: TokenStore;
  /** Browser sessions of OpenID Connect sign-in (`_wb_sessions`). */
  readonly sessions: SessionStore;
  /** The users directory (`_wb_users`): display names and e-mail addresses by stable user id. */
  readonly users: UserDirectory;

  /** The longest lifetime of a personal token on this target (`targets.<t>.auth.personal_tokens.max_lifetime`, default 90 days). */
  private personalTokenLimit(): PersonalTokenLimit {
    const auth = this.ctx.project.targets[this.ctx.targetName]?.auth;
    return auth
      ? { maxLifetimeSeconds: auth.personalTokens.maxLifetimeSeconds, setting: `targets.${this.ctx.targetName}.auth.personal_tokens.max_lifetime` }
      : { maxLifetimeSeconds: DEFAULT_PERSONAL_TOKEN_LIFETIME_SECONDS, setting: 'the default; set it with targets.<target>.auth.personal_tokens.max_lifetime' };
  }

  /** Scenarios, approvals, status transitions and actions (src/workflow). */
  private readonly workflows: Workflows;
  /** Scenarios: list, create, archive, reset, compare, promote. */
  readonly scenarios: Workflows['scenarios'];
  /** Pending changes: list, approve, reject. */
  readonly pending: Workflows['pending'];
  /** One-click actions: run, calls (webhook outcomes). */
  readonly actions: Workflows['actions'];

  private constructor(
    project: Project,
    /** The main (write) connection; token writes use it. */
    readonly adapter: Adapter,
    reader: Adapter,
    private readonly options: WritebackOptions,
  ) {
    this.ctx = {
      project,
      targetName: options.targetName,
      names: sqlNames(project, options.targetName, adapter.dialect),
      reader,
      maxBatchRows: options.maxBatchRows ?? 1_000_000,
    };
    this.tokens = new TokenStore(adapter, reader, () => this.ctx.names, () => this.ctx.project, () => this.personalTokenLimit());
    this.users = new UserDirectory(adapter, reader, () => this.ctx.names);
    this.sessions = new SessionStore(reader, () => this.ctx.names, () => this.ctx.project);
    this.workflows = new Workflows({
      ctx: () => this.ctx,
      adapter,
      submit: (op, table, rows, opts, internal) => this.submit(op, table, rows, opts, internal),
      prepare: (op, table, rows, opts, internal) => this.prepare(op, table, rows, opts, internal),
      commitTogether: (requests) => this.commitTogether(requests),
      admitted: (fn) => this.admitted(fn),
    });
    this.deploy = new Deployment({
      project: () => this.ctx.project,
      adapter,
      targetName: options.targetName,
      quiesce: (fn) => this.quiesce(fn),
      reload: (p) => this.reload(p),
    });
    this.scenarios = this.workflows.scenarios;
    this.pending = this.workflows.pending;
    this.actions = this.workflows.actions;
  }

  /** Wrap an open adapter (the project must already be applied to it). */
  static async create(project: Project, adapter: Adapter, options: WritebackOptions): Promise<Writeback> {
    const reader = adapter.forkReader ? await adapter.forkReader() : canFork(adapter) ? await adapter.fork() : adapter;
    const wb = new Writeback(project, adapter, reader, options);
    if (reader !== adapter) wb.connections.push(reader);
    return wb;
  }

  /** The target of project.yml this library is connected to. */
  get targetName(): string {
    return this.ctx.targetName;
  }

  /** The loaded project. */
  get project(): Project {
    return this.ctx.project;
  }

  /**
   * Run one read-only SQL statement as the administrator (no row filters: never for signed-in
   * users); see read-query.ts.
   */
  query(sql: string, opts?: QueryOptions): Promise<QueryResult> {
    return readQuery(this.adapter, sql, opts);
  }

  /** Replay every input's log and compare with its state; recompute every hash chain. */
  async verify(opts: { tables?: string[] } = {}): Promise<VerifyReport> {
    const inputs = Object.values(this.ctx.project.inputs).filter((t) => !opts.tables || opts.tables.includes(t.name));
    return verifyTables(this.ctx.reader, this.ctx.names, inputs);
  }

  /**
   * Delete the idempotency records older than the project's retention (`idempotency_retention_days`,
   * default 7): a retry with such a key is a new request from then on. Returns how many went.
   * `serve` runs it at start and hourly.
   */
  async pruneIdempotency(now: Date = new Date()): Promise<number> {
    return pruneIdempotency(this.ctx.reader, this.ctx.names, idempotencyRetentionDays(this.ctx.project), now);
  }

  /** Swap in a re-loaded project (after `apply`); waits for queued writes first. */
  async reload(project: Project): Promise<void> {
    await this.idle();
    this.ctx = { ...this.ctx, project, names: sqlNames(project, this.ctx.targetName, this.adapter.dialect) };
  }

  /** Resolves when every table's queue is empty. */
  async idle(): Promise<void> {
    await Promise.all([...this.writers.values()].map((w) => w.idle()));
  }

  /** Waits for queued writes, then closes the extra connections (and the adapter when owned). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.idle();
    for (const c of this.connections) await c.close();
    if (this.options.ownsAdapter) await this.adapter.close();
  }

  /**
   * Run `fn` with the write path quiet: writes already admitted finish first, writes arriving
   * meanwhile wait until it is done (`apply` through a running server changes the tables under them).
   */
  async quiesce<T>(fn: () => Promise<T>): Promise<T> {
    while (this.holding) await this.holding;
    let release!: () => void;
    this.holding = new Promise((r) => (release = r));
    try {
      while (this.inflight > 0) await new Promise<void>((r) => this.drained.push(r));
      await this.idle();
      return await fn();
    } finally {
      this.holding = undefined;
      release();
    }
  }

  private holding: Promise<void> | undefined;
  private inflight = 0;
  private drained: (() => void)[] = [];

  /** Count a write from admission to its result, so `quiesce` can wait for it. */
  private async admitted<T>(fn: () => Promise<T>): Promise<T> {
    while (this.holding) await this.holding;
    this.inflight++;
    try {
      return await fn();
    } finally {
      if (--this.inflight === 0) for (const wake of this.drained.splice(0)) wake();
    }
  }

  private submit(op: PreparedRequest['op'], table: string, rows: readonly unknown[], opts: WriteOptions, internal: InternalWrite = {}): Promise<WriteResult> {
    if (this.closed) throw new Error('Writeback is closed');
    return this.admitted(async () => {
      const prepared = await this.prepare(op, table, rows, opts, internal);
      if (!('input' in prepared)) return prepared;
      return (await this.writerFor(prepared.input.name)).submit(prepared);
    });
  }

  /** Validate a request and let the workflows admit it: the request to commit, or its final result. */
  private async prepare(op: PreparedRequest['op'], table: string, rows: readonly unknown[], opts: WriteOptions, internal: InternalWrite = {}): Promise<PreparedRequest | WriteResult> {
    const prepared = await prepareRequest(this.ctx, op, table, rows, opts);
    if (!('input' in prepared)) return prepared;
    if (internal.approved) prepared.approved = true;
    if (internal.loggedBy !== undefined) prepared.loggedBy = internal.loggedBy;
    // archived and unrecorded scenarios, scenario chains, approvals (status moves are decided in the transaction)
    const refused = await this.workflows.admit(prepared, Array.isArray(rows) ? rows : []);
    if (refused) return refused;
    if (internal.effects) prepared.effects.push(...internal.effects);
    if (internal.reviewer) {
      const outside = await sourceFilterProblems(this.ctx, prepared, internal.reviewer);
      if (outside.length > 0) return failure('forbidden', `${outside.length} row(s) are outside what role '${internal.reviewer.role}' may approve`, outside);
      prepared.reviewer = internal.reviewer;
    }
    return prepared;
  }

  private joint: Promise<JointCommitter> | undefined;

  /** Commit requests of several tables in one transaction (all or none), their writers paused meanwhile. */
  private async commitTogether(requests: PreparedRequest[]): Promise<JointOutcome> {
    if (this.closed) throw new Error('Writeback is closed');
    const tables = [...new Set(requests.map((r) => r.input.name))].sort();
    const writers = await Promise.all(tables.map((t) => this.writerFor(t)));
    this.joint ??= this.fork().then((conn) => new JointCommitter(conn, () => this.ctx.names, this.workflows));
    const joint = await this.joint;
    const commit = async () => {
      try {
        return await joint.commit(requests);
      } finally {
        for (const w of writers) w.forget();
      }
    };
    // writers are taken in table-name order, so two joint commits never wait on each other in a cycle
    return writers.reduceRight<() => Promise<JointOutcome>>((inner, w) => () => w.exclusive(inner), commit)();
  }

  /** A second connection to the same database (one per table writer, one for joint commits). */
  private async fork(): Promise<Adapter> {
    if (!canFork(this.adapter)) throw new Error('the write path needs an adapter that can open a second connection (fork)');
    const conn = await this.adapter.fork();
    this.connections.push(conn);
    return conn;
  }

  private pendingWriters = new Map<string, Promise<TableWriter>>();

  private writerFor(table: string): Promise<TableWriter> {
    const existing = this.writers.get(table);
    if (existing) return Promise.resolve(existing);
    let pending = this.pendingWriters.get(table);
    if (!pending) {
      pending = (async () => {
        const conn = await this.fork();
        const writer = new TableWriter(conn, () => this.ctx.names, table, this.workflows);
        this.writers.set(table, writer);
        return writer;
      })();
      this.pendingWriters.set(table, pending);
    }
    return pending;
  }
}

/** Build the library over an open adapter (tests, `dev`, the server after apply). */
export function createWriteback(project: Project, adapter: Adapter, options: WritebackOptions): Promise<Writeback> {
  return Writeback.create(project, adapter, options);
}

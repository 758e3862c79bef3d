import type { Adapter } from '../adapters/adapter.js';
import { checkPermission } from '../auth/permissions.js';
import type { InputTable } from '../ir/types.js';
import type { Actor } from '../auth/actor.js';
import { type ErrorDetail, type Outcome, failure } from '../rules/outcome.js';
import type { WireRow, WriteOptions, WriteResult } from '../write/types.js';
import { uuidv7 } from '../write/uuid-v7.js';
import type { WriteContext } from '../write/write-context.js';
import type { JointOutcome } from '../write/joint-commit.js';
import { addAlongside, type PreparedRequest } from '../write/write-request.js';
import { runAction, type ActionRunOptions, type ActionResult } from './action-run.js';
import { needsApproval } from './approval-rule.js';
import { compareScenarios, type CompareResult } from './compare.js';
import { decidePending, getPending, insertPending, listPending, type PendingChange } from './pending-store.js';
import { type PromoteOptions, promoteScenario, type PromoteResult } from './promote.js';
import { checkScenarioPermission } from './scenario-permission.js';
import { archiveScenario, chainIn, createScenario, recordWrittenScenario, type CreateScenarioInput, listScenarios, scenarioChain, type ScenarioInfo } from './scenario-store.js';
import { rowsInScope } from './rows-in-scope.js';
import { rowScope } from '../auth/row-filter.js';
import { listWebhookCalls } from './webhook.js';

/** What the workflows need from the write-path library (Writeback implements it). */
export interface WorkflowHost {
  ctx(): WriteContext;
  /** The main connection (meta-table writes). */
  readonly adapter: Adapter;
  /** A full write (prepare, gate, commit); `internal` only for deciding a pending change. */
  submit(op: PreparedRequest['op'], table: string, rows: readonly unknown[], opts: WriteOptions, internal?: InternalWrite): Promise<WriteResult>;
  /** Validate and gate a write without committing it: the request to commit, or its final result. */
  prepare(op: PreparedRequest['op'], table: string, rows: readonly unknown[], opts: WriteOptions): Promise<PreparedRequest | WriteResult>;
  /** Commit requests of several tables in one transaction: all or none (call inside `admitted`). */
  commitTogether(requests: PreparedRequest[]): Promise<JointOutcome>;
  /** Run a multi-step write as one admitted write (an `apply` through the server waits for it, and it for `apply`). */
  admitted<T>(fn: () => Promise<T>): Promise<T>;
}

/** What deciding a pending change adds to its write (see PreparedRequest). */
export interface InternalWrite {
  skipApproval?: boolean;
  loggedBy?: string;
  reviewer?: PreparedRequest['reviewer'];
  alongside?: PreparedRequest['alongside'];
}

/** Options of approve / reject. */
export interface DecideOptions extends Actor {
  comment: string;
}

/**
 * Scenarios, approvals, status transitions and actions (issue 5), on top of the write path.
 * `gate` runs for every write between `prepareRequest` and the commit.
 */
export class Workflows {
  constructor(private readonly host: WorkflowHost) {}

  /**
   * Checks of a prepared write that need the scenario registry, and the approval rule. Refuses
   * writes to archived scenarios (except rejections; an unrecorded scenario is recorded as a child
   * of `base`); gives the request its scenario chain, every level of which is read inside the write
   * transaction (row filters, transitions and deletes see the row as readers do); and
   * turns a write that needs approval into a proposal: logged (`propose_*` entries) and recorded
   * in `_wb_pending` in the same transaction, the state untouched. Returns a final result, or
   * undefined to commit.
   */
  async gate(req: PreparedRequest, rawRows: readonly unknown[], internal: InternalWrite = {}): Promise<WriteResult | undefined> {
    const ctx = this.host.ctx();
    const { input } = req;
    let chain = ['base'];
    if (req.scenario !== 'base') {
      // one read of the registry gives the scenario and its chain
      const all = await listScenarios(ctx.reader, ctx.names);
      const info = all.find((s) => s.name === req.scenario);
      // a pending change of an archived scenario can still be rejected (and so leave the queue)
      if (info?.archivedAt && req.op !== 'reject') return failure('bad_request', `scenario '${req.scenario}' is archived`);
      // a scenario nobody created is recorded with the write that first uses it (and not if that write is refused)
      if (!info) addAlongside(req, (tx, names, _entries, at) => recordWrittenScenario(tx, names, req.scenario, req.actor.user, at).then(() => undefined));
      chain = chainIn(all, req.scenario);
    }
    // where the decision needs it (row filters, transitions, deletes), every level is read in the transaction
    req.chain = chain;
    if (internal.skipApproval || (req.op !== 'upsert' && req.op !== 'delete') || !needsApproval(input, req.actor, req.op, req.rows)) return undefined;
    proposeInstead(req, req.op, rawRows);
    return undefined;
  }

  /** Scenarios: create, list, archive, reset a row, compare, promote. */
  readonly scenarios = {
    /** Every scenario (`base` first); archived ones carry `archivedAt`. */
    list: (): Promise<ScenarioInfo[]> => listScenarios(this.host.ctx().reader, this.host.ctx().names),
    /** Record a scenario that falls back to `from` (default `base`). The actor's role needs the scenario `create` permission (scenario-permission.ts). */
    create: async (input: CreateScenarioInput): Promise<Outcome<{ scenario: ScenarioInfo }>> => {
      const denied = checkScenarioPermission(this.host.ctx().project, input, 'create');
      return denied ? { ok: false, error: denied } : createScenario(this.host.adapter, this.host.ctx().names, input);
    },
    /** Archive: hidden from `__by_scenario` views, no more writes; data and log stay. `by`: the actor (a bare user name = administrator); needs the `archive` permission or to be the creator (default). */
    archive: (name: string, by: Actor | string): Promise<Outcome<{ scenario: ScenarioInfo }>> => {
      const actor: Actor = typeof by === 'string' ? { user: by } : by;
      const project = this.host.ctx().project;
      return archiveScenario(this.host.adapter, this.host.ctx().names, name, actor.user, (s) => checkScenarioPermission(project, actor, 'archive', s));
    },
    /** Remove the scenario's override of these keys (a logged `reset` entry): they follow the parent again. */
    reset: (table: string, keys: readonly unknown[], opts: WriteOptions): Promise<WriteResult> => this.host.submit('reset', table, keys, opts),
    /** Per key, the values that differ between two scenarios (numeric deltas b − a). */
    compare: (a: string, b: string, opts: { table?: string; actor?: Actor } = {}): Promise<CompareResult> => compareScenarios(this.host.ctx(), a, b, opts),
    /** Write a scenario's overrides into its parent as new logged writes, one transaction across tables (dry run = preview; else `confirm` is required). */
    promote: (name: string, opts: PromoteOptions): Promise<PromoteResult> =>
      this.host.admitted(() => promoteScenario(this.host.ctx(), this.host, name, opts)),
  };

  /** Pending changes (approvals). */
  readonly pending = {
    /** Changes of a table (default: still pending). Needs `read`. */
    list: async (table: string, opts: { status?: PendingChange['status'] | 'all'; actor?: Actor } = {}): Promise<Outcome<{ changes: PendingChange[] }>> => {
      const input = this.input(table);
      if (!input) return failure('not_found', `unknown input table '${table}'`);
      const denied = checkPermission(input, opts.actor, 'read');
      if (denied) return { ok: false, error: denied };
      const ctx = this.host.ctx();
      const all = await listPending(ctx.reader, ctx.names, table, opts.status ?? 'pending');
      const changes: PendingChange[] = [];
      for (const change of all) if (await this.visible(input, change, opts.actor)) changes.push(change);
      return { ok: true, changes };
    },
    /** Approve: the change is written with its proposer's checks (conflict when a row moved on since), logged as the approver's entries with the comment; the decision commits with them. */
    approve: (table: string, id: string, opts: DecideOptions): Promise<Outcome<{ change: PendingChange; result: WriteResult }>> => this.decide(table, id, opts, 'approved'),
    /** Reject with a comment: logged as `reject` entries (the state is untouched). */
    reject: (table: string, id: string, opts: DecideOptions): Promise<Outcome<{ change: PendingChange; result: WriteResult | null }>> => this.decide(table, id, opts, 'rejected'),
  };

  /** One-click actions. */
  readonly actions = {
    /** Run a declared action on keys: an ordinary write (permissions, validation, transitions, approvals apply), then its webhook. */
    run: (table: string, action: string, opts: ActionRunOptions): Promise<ActionResult> => {
      const ctx = this.host.ctx();
      return runAction(this.input(table), action, opts, (t, rows, o) => this.host.submit('upsert', t, rows, o), this.host.adapter, ctx.names);
    },
    /** Recorded webhook calls of a table: those whose every entry is in the reader's row scope. */
    calls: (table: string, actor?: Actor): Promise<Record<string, unknown>[]> => {
      const input = this.input(table);
      return input ? listWebhookCalls(this.host.ctx(), input, actor) : Promise.resolve([]);
    },
  };

  /** Whether every row of a pending change, as it would be once approved, is in the reader's row scope. */
  private async visible(input: InputTable, change: PendingChange, reader: Actor | undefined): Promise<boolean> {
    if (rowScope(input, reader).unrestricted) return true;
    const ctx = this.host.ctx();
    const chain = await scenarioChain(ctx.reader, ctx.names, change.scenario);
    return (await rowsInScope(ctx, input, chain, change.rows, reader)).every(Boolean);
  }

  private input(table: string): InputTable | undefined {
    const inputs = this.host.ctx().project.inputs;
    return Object.hasOwn(inputs, table) ? inputs[table] : undefined;
  }

  private async decide(
    table: string,
    id: string,
    opts: DecideOptions,
    status: 'approved' | 'rejected',
  ): Promise<Outcome<{ change: PendingChange; result: WriteResult }>> {
    const ctx = this.host.ctx();
    const input = this.input(table);
    if (!input) return failure('not_found', `unknown input table '${table}'`);
    if (!opts.user) return failure('bad_request', 'a user is required');
    if (typeof opts.comment !== 'string' || opts.comment.trim() === '') return failure('bad_request', `a comment is required to ${status === 'approved' ? 'approve' : 'reject'}`);
    const change = await getPending(ctx.reader, ctx.names, id);
    // a change with a row outside the reviewer's row filter is, to them, a change that does not exist
    if (!change || change.table !== table || !(await this.visible(input, change, opts))) return failure('not_found', `no pending change '${id}' on ${table}`);
    if (change.status !== 'pending') return failure('conflict', `change ${id} was already ${change.status} by ${change.decidedBy} at ${change.decidedAt}`);
    const denied = checkPermission(input, opts, 'approve');
    if (denied) return { ok: false, error: denied };
    const approver: Actor = { user: opts.user, ...(opts.role !== undefined ? { role: opts.role } : {}), ...(opts.attributes ? { attributes: opts.attributes } : {}) };
    if (status === 'approved' && change.proposedBy === opts.user)
      return failure('forbidden', `${opts.user} proposed change ${id}; nobody approves their own change (four-eyes)`);
    // the decision is recorded on the pending change in the same transaction as its log entries
    const alongside: InternalWrite['alongside'] = async (tx, names, entries, at) => {
      const decided = await decidePending(tx, names, id, { status, by: opts.user, comment: opts.comment, at, entryIds: entries.map((e) => e.entryId) });
      return decided ? undefined : failure('conflict', `change ${id} was decided by someone else meanwhile`);
    };
    const verb = status === 'approved' ? 'approved' : 'rejected';
    const comment = `${verb} change ${id} proposed by ${change.proposedBy}: ${opts.comment}`;
    const result =
      status === 'approved'
        ? // written as the proposer's change (their role's checks apply again), logged as the approver's entries
          await this.host.submit(
            change.op,
            table,
            change.rows.map((r, i) => ({ ...r, _version: change.versions[i] ?? 0 })),
            {
              user: change.proposedBy,
              ...(change.proposedRole !== null ? { role: change.proposedRole, attributes: change.proposedAttributes } : {}),
              scenario: change.scenario,
              comment,
              requestId: `approve:${id}`,
            },
            { skipApproval: true, loggedBy: opts.user, reviewer: approver, alongside },
          )
        : await this.host.submit('reject', table, change.rows.map((r) => keyOf(input, r)), { user: opts.user, scenario: change.scenario, comment, requestId: `reject:${id}` }, { alongside });
    // the decision's request id is the change's: a second decision meanwhile finds it taken
    const decidedMeanwhile = result.ok ? result.replayed : result.error.code === 'idempotency_key_reused';
    if (decidedMeanwhile) {
      const now = await getPending(ctx.reader, ctx.names, id);
      return failure('conflict', `change ${id} was already ${now?.status ?? 'decided'} by ${now?.decidedBy ?? 'someone else'}${now?.decidedAt ? ` at ${now.decidedAt}` : ''}`);
    }
    if (!result.ok) {
      if (result.error.code === 'conflict' && result.error.details.length > 0)
        return failure('conflict', `change ${id} cannot be approved: ${result.error.details.length} row(s) changed since it was proposed; reject it and propose again`, result.error.details as ErrorDetail[]);
      return result;
    }
    const after = (await getPending(ctx.reader, ctx.names, id)) ?? change;
    return { ok: true, change: after, result };
  }
}

/** The key columns of a stored row. */
function keyOf(input: InputTable, row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(input.key.map((k) => [k, row[k]]));
}

/**
 * Make a write a proposal: its entries are logged as `propose_*` (validated and checked like the
 * write itself), and the pending change — id = its first entry's id — is recorded with them.
 */
function proposeInstead(req: PreparedRequest, op: 'upsert' | 'delete', rawRows: readonly unknown[]): void {
  const rows = rawRows.map((r) => {
    const { _version: _ignored, ...rest } = r as WireRow;
    return rest;
  });
  req.propose = true;
  addAlongside(req, async (tx, names, entries, at) => {
    const id = entries[0]?.entryId ?? uuidv7();
    await insertPending(tx, names, {
      id,
      table: req.input.name,
      scenario: req.scenario,
      op,
      rows,
      versions: entries.map((e) => e.version),
      proposedBy: req.actor.user,
      proposedRole: req.actor.role ?? null,
      proposedAttributes: req.actor.attributes ?? {},
      proposedAt: at,
      comment: req.comment,
      status: 'pending',
      decidedBy: null,
      decidedAt: null,
      decisionComment: null,
      entryIds: null,
      proposalEntryIds: entries.map((e) => e.entryId),
      requestId: req.requestId,
    });
    return { ok: true, entries: [], at, replayed: false, dryRun: false, pending: { id, status: 'pending', rows: rows.length } };
  });
}

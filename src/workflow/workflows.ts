import type { Adapter } from '../adapters/adapter.js';
import { checkPermission } from '../auth/permissions.js';
import type { InputTable } from '../project/types.js';
import type { Actor, ErrorDetail, Outcome, WireRow, WriteOptions, WriteResult } from '../write/types.js';
import { uuidv7 } from '../write/uuid-v7.js';
import type { WriteContext } from '../write/write-context.js';
import { failure, type PreparedRequest, stateKey } from '../write/write-request.js';
import { runAction, type ActionRunOptions, type ActionResult } from './action-run.js';
import { needsApproval } from './approval-rule.js';
import { compareScenarios, type CompareResult } from './compare.js';
import { loadEffectiveRows } from './effective-rows.js';
import { decidePending, findPendingByRequest, getPending, insertPending, listPending, type PendingChange } from './pending-store.js';
import { promoteScenario, type PromoteResult } from './promote.js';
import { archiveScenario, createScenario, type CreateScenarioInput, findScenario, listScenarios, scenarioChain, type ScenarioInfo } from './scenario-store.js';
import { checkTransitions } from './transitions.js';
import { listWebhookCalls } from './webhook.js';

/** What the workflows need from the write-path library (Writeback implements it). */
export interface WorkflowHost {
  ctx(): WriteContext;
  /** The main connection (meta-table writes). */
  readonly adapter: Adapter;
  /** A full write (prepare, gate, commit); `skipApproval` only for approving a pending change. */
  submit(op: 'upsert' | 'delete' | 'reset', table: string, rows: readonly unknown[], opts: WriteOptions, internal?: { skipApproval?: boolean }): Promise<WriteResult>;
  /** Commit a prepared request through its table's queue (used for the dry run of a proposal). */
  commit(req: PreparedRequest): Promise<WriteResult>;
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
   * Checks of a prepared write that need the current rows or the scenario registry: the scenario
   * is not archived (an unrecorded one is recorded as a child of `base`), status transitions, and
   * approval — a write that needs it is dry-run (so it is fully validated now) and recorded as a
   * pending change instead of being committed. Returns the final result, or undefined to commit.
   */
  async gate(req: PreparedRequest, rawRows: readonly unknown[], internal: { skipApproval?: boolean } = {}): Promise<WriteResult | undefined> {
    const ctx = this.host.ctx();
    const { input } = req;
    let chain = ['base'];
    if (req.scenario !== 'base') {
      const info = await findScenario(ctx.reader, ctx.names, req.scenario);
      if (info?.archivedAt) return failure('bad_request', `scenario '${req.scenario}' is archived`);
      if (!info && !req.dryRun) await createScenario(this.host.adapter, ctx.names, { name: req.scenario, from: 'base', user: req.actor.user });
      chain = await scenarioChain(ctx.reader, ctx.names, req.scenario);
    }
    const hasTransitions = input.columns.some((c) => c.transitions);
    if (req.op !== 'reset' && (hasTransitions || (req.op === 'delete' && chain.length > 2))) {
      const effective = await loadEffectiveRows(ctx, input, chain, req.keys);
      if (chain.length > 2) req.inherited = effective;
      if (req.op === 'upsert' && hasTransitions) {
        const problems = checkTransitions(input, req.actor, req.rows, req.rows.map((_, i) => i), (r) => effective.get(stateKey(req.scenario, req.keys[r]!)));
        if (problems.invalid.length > 0) return failure('validation_failed', `${problems.invalid.length} row(s) take a status along an undeclared transition`, problems.invalid);
        if (problems.forbidden.length > 0) return failure('forbidden', `${problems.forbidden.length} row(s) need another role for their status change`, problems.forbidden);
      }
    }
    if (internal.skipApproval || req.op === 'reset' || !needsApproval(input, req.actor, req.op, req.rows)) return undefined;
    if (req.requestId !== null && !req.dryRun) {
      // a retry of a request that became a pending change returns that change (idempotency)
      const earlier = await findPendingByRequest(ctx.reader, ctx.names, input.name, req.actor.user, req.requestId);
      if (earlier) return { ok: true, entries: [], at: earlier.proposedAt, replayed: true, dryRun: false, pending: { id: earlier.id, status: 'pending', rows: earlier.rows.length } };
    }
    const dry = await this.host.commit({ ...req, dryRun: true, requestId: null, payloadHash: null });
    if (!dry.ok || req.dryRun) return dry;
    const id = uuidv7();
    const rows = rawRows.map((r) => {
      const { _version: _ignored, ...rest } = r as WireRow;
      return rest;
    });
    await insertPending(this.host.adapter, ctx.names, {
      id,
      table: input.name,
      scenario: req.scenario,
      op: req.op,
      rows,
      versions: dry.entries.map((e) => e.version - 1),
      proposedBy: req.actor.user,
      proposedRole: req.actor.role ?? null,
      proposedAttributes: req.actor.attributes ?? {},
      proposedAt: dry.at,
      comment: req.comment,
      status: 'pending',
      decidedBy: null,
      decidedAt: null,
      decisionComment: null,
      entryIds: null,
      requestId: req.requestId,
    });
    return { ok: true, entries: [], at: dry.at, replayed: false, dryRun: false, pending: { id, status: 'pending', rows: rows.length } };
  }

  /** Scenarios: create, list, archive, reset a row, compare, promote. */
  readonly scenarios = {
    /** Every scenario (`base` first); archived ones carry `archivedAt`. */
    list: (): Promise<ScenarioInfo[]> => listScenarios(this.host.ctx().reader, this.host.ctx().names),
    /** Record a scenario that falls back to `from` (default `base`). */
    create: (input: CreateScenarioInput): Promise<Outcome<{ scenario: ScenarioInfo }>> => createScenario(this.host.adapter, this.host.ctx().names, input),
    /** Archive: hidden from `__by_scenario` views, no more writes; data and log stay. */
    archive: (name: string, user: string): Promise<Outcome<{ scenario: ScenarioInfo }>> => archiveScenario(this.host.adapter, this.host.ctx().names, name, user),
    /** Remove the scenario's override of these keys (a logged `reset` entry): they follow the parent again. */
    reset: (table: string, keys: readonly unknown[], opts: WriteOptions): Promise<WriteResult> => this.host.submit('reset', table, keys, opts),
    /** Per key, the values that differ between two scenarios (numeric deltas b − a). */
    compare: (a: string, b: string, opts: { table?: string; actor?: Actor } = {}): Promise<CompareResult> => compareScenarios(this.host.ctx(), a, b, opts),
    /** Write a scenario's overrides into its parent as new logged writes (dry run = preview; else `confirm` is required). */
    promote: (name: string, opts: WriteOptions & { confirm?: boolean; table?: string }): Promise<PromoteResult> =>
      promoteScenario(this.host.ctx(), (op, t, rows, o) => this.host.submit(op, t, rows, o), name, opts),
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
      return { ok: true, changes: await listPending(ctx.reader, ctx.names, table, opts.status ?? 'pending') };
    },
    /** Approve: the change is written as its proposer's write (conflict when a row moved on since); logged with who approved, when and why. */
    approve: (table: string, id: string, opts: DecideOptions): Promise<Outcome<{ change: PendingChange; result: WriteResult }>> => this.decide(table, id, opts, 'approved'),
    /** Reject with a comment; nothing is written to the table. */
    reject: (table: string, id: string, opts: DecideOptions): Promise<Outcome<{ change: PendingChange; result: WriteResult | null }>> => this.decide(table, id, opts, 'rejected'),
  };

  /** One-click actions. */
  readonly actions = {
    /** Run a declared action on keys: an ordinary write (permissions, validation, transitions, approvals apply), then its webhook. */
    run: (table: string, action: string, opts: ActionRunOptions): Promise<ActionResult> => {
      const ctx = this.host.ctx();
      return runAction(this.input(table), action, opts, (t, rows, o) => this.host.submit('upsert', t, rows, o), this.host.adapter, ctx.names);
    },
    /** Recorded webhook calls of a table. */
    calls: (table: string): Promise<Record<string, unknown>[]> => listWebhookCalls(this.host.ctx().reader, this.host.ctx().names, table),
  };

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
    if (!change || change.table !== table) return failure('not_found', `no pending change '${id}' on ${table}`);
    if (change.status !== 'pending') return failure('conflict', `change ${id} was already ${change.status} by ${change.decidedBy} at ${change.decidedAt}`);
    const denied = checkPermission(input, opts, 'approve');
    if (denied) return { ok: false, error: denied };
    if (status === 'approved' && change.proposedBy === opts.user)
      return failure('forbidden', `${opts.user} proposed change ${id}; nobody approves their own change (four-eyes)`);
    let result: WriteResult = { ok: true, entries: [], at: new Date(Date.now()).toISOString(), replayed: false, dryRun: false };
    if (status === 'approved') {
      const rows = change.rows.map((r, i) => ({ ...r, _version: change.versions[i] ?? 0 }));
      result = await this.host.submit(
        change.op,
        table,
        rows,
        {
          user: change.proposedBy,
          ...(change.proposedRole !== null ? { role: change.proposedRole, attributes: change.proposedAttributes } : {}),
          scenario: change.scenario,
          comment: `${change.comment ? `${change.comment} ` : ''}[approved by ${opts.user}: ${opts.comment}]`,
          requestId: `approve:${id}`,
        },
        { skipApproval: true },
      );
      if (!result.ok) {
        if (result.error.code === 'conflict')
          return failure('conflict', `change ${id} cannot be approved: ${result.error.details.length} row(s) changed since it was proposed; reject it and propose again`, result.error.details as ErrorDetail[]);
        return result;
      }
    }
    const entryIds = result.ok ? result.entries.map((e) => e.entryId) : null;
    const decided = await decidePending(this.host.adapter, ctx.names, id, { status, by: opts.user, comment: opts.comment, entryIds: status === 'approved' ? entryIds : null });
    if (!decided) return failure('conflict', `change ${id} was decided by someone else meanwhile`);
    const after = (await getPending(ctx.reader, ctx.names, id)) ?? change;
    return { ok: true, change: after, result };
  }
}

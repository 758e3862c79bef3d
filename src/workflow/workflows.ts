import type { Adapter } from '../adapters/adapter.js';
import { checkPermission } from '../auth/permissions.js';
import type { InputTable } from '../ir/types.js';
import type { Actor } from '../auth/actor.js';
import { type ErrorDetail, type Outcome, type WriteError, failure } from '../rules/outcome.js';
import type { WireRow, WriteOptions, WriteResult, WrittenEntry } from '../write/types.js';
import { uuidv7 } from '../write/uuid-v7.js';
import type { WriteContext } from '../write/write-context.js';
import type { PreparedRequest } from '../write/write-request.js';
import type { WriteEffect, WritePolicy } from '../write/write-policy.js';
import type { SqlNames } from '../managed/sql-names.js';
import { runAction, type ActionRunOptions, type ActionResult } from './action-run.js';
import { needsApproval } from './approval-rule.js';
import { compareScenarios, type CompareResult } from './compare.js';
import { decidePending, getPending, insertPending, listPending, type PendingChange } from './pending-store.js';
import { type PromoteHost, type PromoteOptions, promoteScenario, type PromoteResult } from './promote.js';
import { checkScenarioPermission } from './scenario-permission.js';
import { archiveScenario, createScenario, recordWrittenScenario, type CreateScenarioInput } from './scenario-store.js';
import { chainIn, listScenarios, scenarioChain, type ScenarioInfo } from '../write/scenario-registry.js';
import { rowsInScope } from './rows-in-scope.js';
import { canonicalKey, decisionComment, ROWS_NAMED } from './decision-comment.js';
import { loadEffectiveRows } from './effective-rows.js';
import { rowScope } from '../auth/row-filter.js';
import { listWebhookCalls } from './webhook.js';

/** What the workflows need from the write-path library (Writeback implements it). */
export interface WorkflowHost extends PromoteHost {
  ctx(): WriteContext;
  /** The main connection (meta-table writes). */
  readonly adapter: Adapter;
  /** A full write (prepare, admit, commit); `internal` only for deciding a pending change. */
  submit(op: PreparedRequest['op'], table: string, rows: readonly unknown[], opts: WriteOptions, internal?: InternalWrite): Promise<WriteResult>;
  /** Validate and admit a write without committing it (`internal` as for `submit`). */
  prepare(op: PreparedRequest['op'], table: string, rows: readonly unknown[], opts: WriteOptions, internal?: InternalWrite): Promise<PreparedRequest | WriteResult>;
  /** Run a multi-step write as one admitted write (an `apply` through the server waits for it, and it for `apply`). */
  admitted<T>(fn: () => Promise<T>): Promise<T>;
}

/** What deciding a pending change adds to its write (plain data; see PreparedRequest). */
export interface InternalWrite {
  /** The write of an approved change (the approval rule was applied when it was proposed). */
  approved?: boolean;
  loggedBy?: string;
  reviewer?: PreparedRequest['reviewer'];
  effects?: WorkflowEffect[];
}

/** What the workflows commit with a write, in its transaction (see `commitEffects`). */
export type WorkflowEffect =
  /** A scenario nobody created: record it (a child of `base`), unless a concurrent write did. */
  | { kind: 'record-scenario'; scenario: string; user: string }
  /** The write needs approval: record the pending change (rows as sent, without `_version`). */
  | { kind: 'propose'; op: 'upsert' | 'delete'; rows: WireRow[] }
  /** A decision of a pending change, compare-and-set on its still being pending. */
  | { kind: 'decide'; id: string; status: 'approved' | 'rejected'; by: string; comment: string };

function isWorkflowEffect(e: WriteEffect): e is WorkflowEffect {
  return e.kind === 'record-scenario' || e.kind === 'propose' || e.kind === 'decide';
}

/** Options of approve / reject. */
export interface DecideOptions extends Actor {
  comment: string;
}

/**
 * Scenarios, approvals, status transitions and actions, on top of the write path. Implements the
 * write path's policy: `admit` runs for every write between validation and the queue,
 * `commitEffects` inside its transaction.
 */
export class Workflows implements WritePolicy {
  constructor(private readonly host: WorkflowHost) {}

  /**
   * Checks of a prepared write that need the scenario registry, and the approval rule. Refuses
   * writes to archived scenarios (except rejections) and, for roles without the scenario `create`
   * permission, writes to a scenario nobody created (it would create it; a permitted write records
   * it with its entries); gives the request its scenario chain, every level of which is read inside
   * the write transaction (row filters, transitions and deletes see the row as readers do); and
   * turns a write that needs approval into a proposal: logged (`propose_*` entries) and recorded in
   * `_wb_pending` in the same transaction, the state untouched. Returns a final result, or undefined
   * to commit.
   */
  async admit(req: PreparedRequest, rows: readonly unknown[]): Promise<WriteResult | undefined> {
    const ctx = this.host.ctx();
    const { input } = req;
    let chain = ['base'];
    if (req.scenario !== 'base') {
      // one read of the registry gives the scenario and its chain
      const all = await listScenarios(ctx.reader, ctx.names);
      const info = all.find((s) => s.name === req.scenario);
      // a pending change of an archived scenario can still be rejected (and so leave the queue)
      if (info?.archivedAt && req.op !== 'reject') return failure('bad_request', `scenario '${req.scenario}' is archived`);
      if (!info) {
        const denied = checkScenarioPermission(ctx.project, req.actor, 'create');
        if (denied) return { ok: false, error: { ...denied, message: `scenario '${req.scenario}' does not exist and writing to it would create it: ${denied.message}` } };
        // recorded with the write that first uses it (and not if that write is refused)
        const record: WorkflowEffect = { kind: 'record-scenario', scenario: req.scenario, user: req.actor.user };
        req.effects.unshift(record);
      }
      chain = chainIn(all, req.scenario);
    }
    // where the decision needs it (row filters, transitions, deletes), every level is read in the transaction
    req.chain = chain;
    if (req.approved || (req.op !== 'upsert' && req.op !== 'delete') || !needsApproval(input, req.actor, req.op, req.rows)) return undefined;
    // a proposal: decided exactly like the write, logged as `propose_*` entries, recorded with them
    req.propose = true;
    const sent = rows.map((r) => {
      const { _version: _ignored, ...rest } = r as WireRow;
      return rest;
    });
    const propose: WorkflowEffect = { kind: 'propose', op: req.op, rows: sent };
    req.effects.push(propose);
    return undefined;
  }

  /** Inside the write transaction: record scenarios, pending changes and decisions, in order; a failed one stops the rest. */
  async commitEffects(tx: Adapter, names: SqlNames, req: PreparedRequest, entries: readonly WrittenEntry[], at: string): Promise<WriteResult | undefined> {
    let result: WriteResult | undefined;
    for (const effect of req.effects) {
      if (!isWorkflowEffect(effect)) throw new Error(`no policy commits effects of kind '${effect.kind}'`);
      const next = await this.commitEffect(tx, names, req, effect, entries, at);
      if (next && !next.ok) return next;
      result = next ?? result;
    }
    return result;
  }

  private async commitEffect(tx: Adapter, names: SqlNames, req: PreparedRequest, effect: WorkflowEffect, entries: readonly WrittenEntry[], at: string): Promise<WriteResult | undefined> {
    switch (effect.kind) {
      case 'record-scenario':
        await recordWrittenScenario(tx, names, effect.scenario, effect.user, at);
        return undefined;
      case 'propose': {
        const id = entries[0]?.entryId ?? uuidv7();
        await insertPending(tx, names, {
          id,
          table: req.input.name,
          scenario: req.scenario,
          op: effect.op,
          rows: effect.rows,
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
          proposalEntryIds: loggedIds(entries),
          requestId: req.requestId,
        });
        return { ok: true, entries: [], at, replayed: false, dryRun: false, pending: { id, status: 'pending', rows: effect.rows.length } };
      }
      case 'decide': {
        const decided = await decidePending(tx, names, effect.id, { status: effect.status, by: effect.by, comment: effect.comment, at, entryIds: loggedIds(entries) });
        return decided ? undefined : failure('conflict', `change ${effect.id} was decided by someone else meanwhile`);
      }
    }
  }

  /** Scenarios: create, list, archive, reset a row, compare, promote. */
  readonly scenarios = {
    /** Every scenario (`base` first); archived ones carry `archivedAt`. */
    list: (): Promise<ScenarioInfo[]> => listScenarios(this.host.ctx().reader, this.host.ctx().names),
    /** Whether the actor may create scenarios, or archive `scenario` (scenario-permission.ts; what the form offers). */
    may: (actor: Actor | undefined, action: 'create' | 'archive', scenario?: ScenarioInfo): boolean =>
      checkScenarioPermission(this.host.ctx().project, actor, action, scenario) === undefined,
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
    /** Approve several changes of one table in one transaction: all or none (each checked as `approve`). */
    approveMany: (table: string, ids: readonly string[], opts: DecideOptions) => this.decideMany(table, ids, opts, 'approved'),
    /** Reject several changes of one table in one transaction: all or none. */
    rejectMany: (table: string, ids: readonly string[], opts: DecideOptions) => this.decideMany(table, ids, opts, 'rejected'),
  };

  /** One-click actions. */
  readonly actions = {
    /** Run a declared action on keys: an ordinary write (permissions, validation, transitions, approvals apply), then its webhook. */
    run: (table: string, action: string, opts: ActionRunOptions): Promise<ActionResult> => {
      const ctx = this.host.ctx();
      return runAction(this.input(table), action, opts, (t, rows, o) => this.host.submit('upsert', t, rows, o), this.host.adapter, ctx.names);
    },
    /** Recorded webhook calls of a table: those whose every entry is in the reader's row scope. */
    calls: async (table: string, actor?: Actor): Promise<Outcome<{ calls: Record<string, unknown>[] }>> => {
      const input = this.input(table);
      if (!input) return failure('not_found', `unknown input table '${table}'`);
      const denied = checkPermission(input, actor, 'read');
      if (denied) return { ok: false, error: denied };
      return { ok: true, calls: await listWebhookCalls(this.host.ctx(), input, actor) };
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

  /** The checks of a decision on one pending change: the change, or why it may not be decided. */
  private async decidable(input: InputTable, id: string, opts: DecideOptions, status: 'approved' | 'rejected'): Promise<Outcome<{ change: PendingChange }>> {
    const ctx = this.host.ctx();
    const change = await getPending(ctx.reader, ctx.names, id);
    // a change with a row outside the reviewer's row filter is, to them, a change that does not exist
    if (!change || change.table !== input.name || !(await this.visible(input, change, opts))) return failure('not_found', `no pending change '${id}' on ${input.name}`);
    if (change.status !== 'pending') return failure('conflict', `change ${id} was already ${change.status} by ${change.decidedBy} at ${change.decidedAt}`);
    if (status === 'approved' && change.proposedBy === opts.user)
      return failure('forbidden', `${opts.user} proposed change ${id}; nobody approves their own change (four-eyes)`);
    return { ok: true, change };
  }

  /** Who may decide at all on this table, and with what: the input, or why not. */
  private decider(table: string, opts: DecideOptions, status: 'approved' | 'rejected'): Outcome<{ input: InputTable }> {
    const input = this.input(table);
    if (!input) return failure('not_found', `unknown input table '${table}'`);
    if (!opts.user) return failure('bad_request', 'a user is required');
    if (typeof opts.comment !== 'string' || opts.comment.trim() === '') return failure('bad_request', `a comment is required to ${status === 'approved' ? 'approve' : 'reject'}`);
    const denied = checkPermission(input, opts, 'approve');
    return denied ? { ok: false, error: denied } : { ok: true, input };
  }

  /** The write that records a decision: approved = the proposer's change (their role's checks apply again) logged as the approver's entries; rejected = `reject` entries. */
  private async decisionWrite(input: InputTable, change: PendingChange, opts: DecideOptions, status: 'approved' | 'rejected') {
    const ctx = this.host.ctx();
    const before = change.op === 'upsert' ? await loadEffectiveRows(ctx, input, await scenarioChain(ctx.reader, ctx.names, change.scenario), change.rows.slice(0, ROWS_NAMED).map((r) => canonicalKey(input, r))) : new Map();
    const comment = decisionComment(input, change, status, opts.comment, before);
    // the decision is recorded on the pending change in the same transaction as its log entries
    const effects: WorkflowEffect[] = [{ kind: 'decide', id: change.id, status, by: opts.user, comment: opts.comment }];
    const approver: Actor = { user: opts.user, ...(opts.role !== undefined ? { role: opts.role } : {}), ...(opts.attributes ? { attributes: opts.attributes } : {}) };
    if (status === 'approved') {
      return {
        op: change.op,
        rows: change.rows.map((r, i) => ({ ...r, _version: change.versions[i] ?? 0 })) as unknown[],
        opts: {
          user: change.proposedBy,
          ...(change.proposedRole !== null ? { role: change.proposedRole, attributes: change.proposedAttributes } : {}),
          scenario: change.scenario,
          comment,
          requestId: `approve:${change.id}`,
        } as WriteOptions,
        internal: { approved: true, loggedBy: opts.user, reviewer: approver, effects } as InternalWrite,
      };
    }
    return {
      op: 'reject' as const,
      rows: change.rows.map((r) => keyOf(input, r)) as unknown[],
      opts: { user: opts.user, scenario: change.scenario, comment, requestId: `reject:${change.id}` } as WriteOptions,
      internal: { effects } as InternalWrite,
    };
  }

  /** A refused decision write, as the reviewer reads it. */
  private async decisionFailure(id: string, result: Extract<WriteResult, { ok: false }>, replayed = false): Promise<{ ok: false; error: WriteError }> {
    const ctx = this.host.ctx();
    // the decision's request id is the change's: a second decision meanwhile finds it taken
    if (replayed || result.error.code === 'idempotency_key_reused') {
      const now = await getPending(ctx.reader, ctx.names, id);
      return failure('conflict', `change ${id} was already ${now?.status ?? 'decided'} by ${now?.decidedBy ?? 'someone else'}${now?.decidedAt ? ` at ${now.decidedAt}` : ''}`);
    }
    if (result.error.code === 'conflict' && result.error.details.length > 0)
      return failure('conflict', `change ${id} cannot be approved: ${result.error.details.length} row(s) changed since it was proposed; reject it and propose again`, result.error.details as ErrorDetail[]);
    return result;
  }

  private async decide(table: string, id: string, opts: DecideOptions, status: 'approved' | 'rejected'): Promise<Outcome<{ change: PendingChange; result: WriteResult }>> {
    const ctx = this.host.ctx();
    const who = this.decider(table, opts, status);
    if (!who.ok) return who;
    const found = await this.decidable(who.input, id, opts, status);
    if (!found.ok) return found;
    const w = await this.decisionWrite(who.input, found.change, opts, status);
    const result = await this.host.submit(w.op, table, w.rows, w.opts, w.internal);
    if (result.ok && result.replayed) return this.decisionFailure(id, failure('conflict', ''), true);
    if (!result.ok) return this.decisionFailure(id, result);
    const after = (await getPending(ctx.reader, ctx.names, id)) ?? found.change;
    return { ok: true, change: after, result };
  }

  /**
   * Decide several pending changes of one table in ONE transaction: all of them or none. Each is
   * checked as a single decision is (permission, four-eyes, still pending, visible to the
   * reviewer, rows unchanged since proposed); the first refusal names its change and nothing is
   * decided.
   */
  private async decideMany(table: string, ids: readonly string[], opts: DecideOptions, status: 'approved' | 'rejected'): Promise<Outcome<{ decided: { change: PendingChange; result: WriteResult }[] }>> {
    const who = this.decider(table, opts, status);
    if (!who.ok) return who;
    if (ids.length === 0) return failure('bad_request', 'no pending change named', [{ column: 'ids', message: 'name at least one pending change' }]);
    const twice = ids.find((id, i) => ids.indexOf(id) !== i);
    if (twice !== undefined) return failure('bad_request', `change ${twice} is named twice`, [{ column: 'ids', message: `change ${twice} is named twice` }]);
    const nothing = (e: WriteError): { ok: false; error: WriteError } => ({ ok: false, error: { ...e, message: `${e.message}; nothing was decided` } });
    return this.host.admitted(async () => {
      const ctx = this.host.ctx();
      const changes: PendingChange[] = [];
      const requests: PreparedRequest[] = [];
      for (const id of ids) {
        const found = await this.decidable(who.input, id, opts, status);
        if (!found.ok) return nothing(found.error);
        const w = await this.decisionWrite(who.input, found.change, opts, status);
        const prepared = await this.host.prepare(w.op, table, w.rows, w.opts, w.internal);
        if (!('input' in prepared)) {
          if (prepared.ok) return nothing({ code: 'conflict', message: `change ${id} has nothing left to write`, details: [] });
          return nothing((await this.decisionFailure(id, prepared)).error);
        }
        changes.push(found.change);
        requests.push(prepared);
      }
      const done = await this.host.commitTogether(requests);
      if (!done.ok) return nothing((await this.decisionFailure(ids[done.index]!, done.result)).error);
      const decided: { change: PendingChange; result: WriteResult }[] = [];
      for (const [i, change] of changes.entries()) decided.push({ change: (await getPending(ctx.reader, ctx.names, change.id)) ?? change, result: done.results[i]! });
      return { ok: true, decided };
    });
  }
}

/** The key columns of a stored row. */
function keyOf(input: InputTable, row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(input.key.map((k) => [k, row[k]]));
}

/** The log entries of a write (rows it left unchanged have none). */
function loggedIds(entries: readonly WrittenEntry[]): string[] {
  return entries.flatMap((e) => (e.entryId === null ? [] : [e.entryId]));
}

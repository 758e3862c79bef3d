import type { PendingChange } from '../../workflow/pending-store.js';
import type { ScenarioInfo } from '../../write/scenario-registry.js';
import type { Actor } from '../../auth/actor.js';
import type { WireRow, WriteResult } from '../../write/types.js';
import { apiError, fromWriteError } from '../../http/api-error.js';
import type { HttpContext } from '../../http/context.js';
import type { HttpLibrary } from '../../http/library.js';
import { sendFailure } from '../../http/parse-request.js';
import { route, type Route } from '../../http/route.js';
import { ActionResponseSchema, PendingActionResponseSchema, PendingWriteResponseSchema, WriteResponseSchema } from '../../http/wire-schemas.js';
import {
  ActionSchema,
  CompareQuerySchema,
  CompareResponseSchema,
  DecideManySchema,
  DecideSchema,
  DecisionManyResponseSchema,
  DecisionResponseSchema,
  PendingListResponseSchema,
  PendingQuerySchema,
  PromoteResponseSchema,
  PromoteSchema,
  ResetSchema,
  ScenarioArchiveSchema,
  ScenarioCreateSchema,
  ScenarioResponseSchema,
  ScenariosResponseSchema,
  WebhookCallsResponseSchema,
} from '../workflow-schemas.js';
import { confirmationFailure, IDEMPOTENCY_HEADER, idempotencyKey, sendWriteResult, WRITE_ERRORS, type BulkSettings } from '../write-request.js';

/** Wire shape of a scenario. */
export function scenarioJson(s: ScenarioInfo) {
  return { name: s.name, parent: s.parent, description: s.description, created_by: s.createdBy, created_at: s.createdAt, archived_by: s.archivedBy, archived_at: s.archivedAt };
}

/** Wire shape of a pending change. */
export function pendingJson(p: PendingChange) {
  return {
    id: p.id,
    table: p.table,
    scenario: p.scenario,
    op: p.op,
    rows: p.rows,
    versions: p.versions,
    proposed_by: p.proposedBy,
    proposed_role: p.proposedRole,
    proposed_at: p.proposedAt,
    comment: p.comment,
    status: p.status,
    decided_by: p.decidedBy,
    decided_at: p.decidedAt,
    decision_comment: p.decisionComment,
    entry_ids: p.entryIds,
  };
}

const TABLE = 'Input table name.';

/**
 * Scenarios, pending changes (approvals), scenario resets, one-click actions and webhook calls.
 * `admin`: the routes under `/api/v1/admin` for the CLI — the caller is the administrator and names
 * the recorded user in the body (`user`); otherwise the actor comes from the token.
 */
export function workflowRoutes(wb: HttpLibrary, settings: BulkSettings, admin: boolean): Route[] {
  const { scenarios, pending, actions } = wb;
  if (!scenarios || !pending || !actions) return []; // a library without workflows (test wrappers)
  const base = admin ? '/api/v1/admin' : '/api/v1';
  const auth = admin ? 'admin' : 'caller';
  const id = (name: string) => (admin ? `admin${name[0]!.toUpperCase()}${name.slice(1)}` : name);
  const tags = (tag: string) => (admin ? ['admin'] : [tag]);
  /** The acting user: the token's actor, or (admin routes) the administrator named `user`. */
  const actorOf = (c: HttpContext, named: string | undefined): Actor | Response => {
    if (!admin) {
      if (named !== undefined) return sendFailure(c, apiError('bad_request', '`user` is taken from the token; do not send it'));
      return c.get('actor');
    }
    if (!named) return sendFailure(c, apiError('bad_request', 'admin calls name the recorded `user`'));
    return { user: named };
  };
  const readerOf = (c: HttpContext): Actor | undefined => (admin ? undefined : c.get('actor'));
  const param = (c: HttpContext, name: string) => c.req.param(name) ?? '';

  const routes: Route[] = [
    route({
      method: 'get',
      path: `${base}/scenarios`,
      operationId: id('listScenarios'),
      summary: "Every scenario (`base` first) with its parent, creator and archive state; `permissions.create` and each scenario's `permissions.archive` say what the caller may do",
      tags: tags('scenarios'),
      auth,
      touches: 'scenario-tables',
      responses: { 200: { description: 'OK', json: ScenariosResponseSchema } },
      errors: [],
      handler: async (c) => {
        const actor = readerOf(c);
        const may = (action: 'create' | 'archive', s?: ScenarioInfo) => scenarios.may(actor, action, s);
        const list = (await scenarios.list()).map((s) => ({ ...scenarioJson(s), permissions: { archive: s.name !== 'base' && s.archivedAt === null && may('archive', s) } }));
        return c.json({ scenarios: list, permissions: { create: may('create') } });
      },
    }),
    route({
      method: 'post',
      path: `${base}/scenarios`,
      operationId: id('createScenario'),
      summary: 'Create a scenario that falls back to `from` (default base); the role must be allowed to create scenarios (project.yml `scenarios.create`, default: roles with `write` on a table with scenarios)',
      tags: tags('scenarios'),
      auth,
      touches: 'scenario-tables',
      body: ScenarioCreateSchema,
      responses: { 201: { description: 'Created', json: ScenarioResponseSchema } },
      errors: ['forbidden', 'not_found', 'conflict'],
      handler: async (c, { body: b }) => {
        const actor = actorOf(c, b.user);
        if (actor instanceof Response) return actor;
        const res = await scenarios.create({ ...actor, name: b.name, ...(b.from ? { from: b.from } : {}), ...(b.description ? { description: b.description } : {}) });
        if (!res.ok) return sendFailure(c, fromWriteError(res.error));
        // the scenario registry feeds every `__by_scenario` view
        settings.onWrite?.('*');
        return c.json({ scenario: scenarioJson(res.scenario) }, 201);
      },
    }),
    route({
      method: 'get',
      path: `${base}/scenarios/compare`,
      operationId: id('compareScenarios'),
      summary: 'Per key, the values that differ between scenarios a and b (numeric deltas b − a)',
      tags: tags('scenarios'),
      auth,
      touches: 'scenario-tables',
      query: CompareQuerySchema,
      responses: { 200: { description: 'OK', json: CompareResponseSchema } },
      errors: ['forbidden', 'not_found'],
      handler: async (c, { query: { a, b, table } }) => {
        const reader = readerOf(c);
        const res = await scenarios.compare(a, b, { ...(table ? { table } : {}), ...(reader ? { actor: reader } : {}) });
        return res.ok ? c.json({ a: res.a, b: res.b, tables: res.tables }) : sendFailure(c, fromWriteError(res.error));
      },
    }),
    route({
      method: 'post',
      path: `${base}/scenarios/{name}/archive`,
      operationId: id('archiveScenario'),
      summary: "Archive a scenario; the role must be allowed to (project.yml `scenarios.archive`, default: roles with `approve` on a table with scenarios, and the scenario's creator)",
      tags: tags('scenarios'),
      auth,
      touches: 'scenario-tables',
      params: { name: 'Scenario.' },
      body: ScenarioArchiveSchema,
      responses: { 200: { description: 'Archived', json: ScenarioResponseSchema } },
      errors: ['forbidden', 'not_found'],
      handler: async (c, { body }) => {
        const actor = actorOf(c, body.user);
        if (actor instanceof Response) return actor;
        const res = await scenarios.archive(param(c, 'name'), actor);
        if (!res.ok) return sendFailure(c, fromWriteError(res.error));
        settings.onWrite?.('*');
        return c.json({ scenario: scenarioJson(res.scenario) });
      },
    }),
    route({
      method: 'post',
      path: `${base}/scenarios/{name}/promote`,
      operationId: id('promoteScenario'),
      summary:
        "Write the scenario's overrides into its parent (dry_run = preview; otherwise confirm is required). Ordinary writes by the caller: 403 unless the role has `write` (and `delete` for keys the scenario deleted) on every table promoted, within its row filter",
      tags: tags('scenarios'),
      auth,
      touches: 'scenario-tables',
      params: { name: 'Scenario.' },
      body: PromoteSchema,
      responses: { 200: { description: 'Promoted, or the preview', json: PromoteResponseSchema } },
      errors: WRITE_ERRORS,
      handler: async (c, { body: b }) => {
        const actor = actorOf(c, b.user);
        if (actor instanceof Response) return actor;
        const res = await scenarios.promote(param(c, 'name'), {
          ...actor,
          ...(b.table ? { table: b.table } : {}),
          ...(b.comment ? { comment: b.comment } : {}),
          ...(b.dry_run ? { dryRun: true } : {}),
          ...(b.confirm ? { confirm: true } : {}),
          ...(b.expected_preview !== undefined ? { expectedPreview: b.expected_preview } : {}),
        });
        if (!res.ok) return sendFailure(c, fromWriteError(res.error));
        if (!res.dryRun) for (const t of res.tables) settings.onWrite?.(t.table);
        return c.json({ scenario: res.scenario, parent: res.parent, dry_run: res.dryRun, rows: res.rows, tables: res.tables, preview: res.preview });
      },
    }),
    route({
      method: 'post',
      path: `${base}/inputs/{table}/reset`,
      operationId: id('resetRows'),
      summary: "Remove a scenario's override of keys: they follow the parent again (logged as op reset)",
      tags: tags('scenarios'),
      auth,
      params: { table: TABLE },
      headers: [IDEMPOTENCY_HEADER],
      body: ResetSchema,
      responses: { 200: { description: 'Reset', json: WriteResponseSchema }, 202: { description: 'The reset needs approval', json: PendingWriteResponseSchema } },
      errors: WRITE_ERRORS,
      handler: async (c, { body: b }) => {
        const actor = actorOf(c, b.user);
        if (actor instanceof Response) return actor;
        const refused = confirmationFailure(b.keys.length, 'resetting', b, settings);
        if (refused) return sendFailure(c, refused);
        const key = idempotencyKey(c);
        if (!key.ok) return sendFailure(c, key.failure);
        const table = param(c, 'table');
        const res = await scenarios.reset(table, b.keys as WireRow[], {
          ...actor,
          scenario: b.scenario,
          ...(b.comment ? { comment: b.comment } : {}),
          ...(b.dry_run ? { dryRun: true } : {}),
          ...(key.value !== undefined ? { requestId: key.value } : {}),
        });
        return sendWriteResult(c, res, table, settings);
      },
    }),
    route({
      method: 'get',
      path: `${base}/inputs/{table}/pending`,
      operationId: id('listPending'),
      summary: 'Changes waiting for approval (or decided ones); needs `read`',
      tags: tags('approvals'),
      auth,
      params: { table: TABLE },
      query: PendingQuerySchema,
      responses: { 200: { description: 'OK', json: PendingListResponseSchema } },
      errors: ['forbidden', 'not_found'],
      handler: async (c, { query }) => {
        const reader = readerOf(c);
        const res = await pending.list(param(c, 'table'), { ...(query.status ? { status: query.status } : {}), ...(reader ? { actor: reader } : {}) });
        return res.ok ? c.json({ changes: res.changes.map(pendingJson) }) : sendFailure(c, fromWriteError(res.error));
      },
    }),
  ];

  const entriesJson = (result: WriteResult | null) => (result && result.ok ? result.entries.map((e) => ({ entry_id: e.entryId, key: e.key, version: e.version, op: e.op })) : []);
  for (const decision of ['approve', 'reject'] as const) {
    routes.push(
      route({
        method: 'post',
        path: `${base}/inputs/{table}/pending/${decision}`,
        operationId: id(`${decision}PendingMany`),
        summary:
          decision === 'approve'
            ? 'Approve several pending changes with one comment, in one transaction: all or none (each checked as a single approval: `approve`, four eyes, rows unchanged since proposed, still pending)'
            : 'Reject several pending changes with one comment, in one transaction: all or none',
        description: 'The first change that cannot be decided is named in the error (403, 404, 409, 422) and nothing is decided.',
        tags: tags('approvals'),
        auth,
        params: { table: TABLE },
        body: DecideManySchema,
        responses: { 200: { description: decision === 'approve' ? 'Every change approved and written' : 'Every change rejected', json: DecisionManyResponseSchema } },
        errors: WRITE_ERRORS,
        handler: async (c, { body }) => {
          const actor = actorOf(c, body.user);
          if (actor instanceof Response) return actor;
          const table = param(c, 'table');
          const res = await pending[decision === 'approve' ? 'approveMany' : 'rejectMany'](table, body.ids, { ...actor, comment: body.comment });
          if (!res.ok) return sendFailure(c, fromWriteError(res.error));
          settings.onWrite?.(table);
          return c.json({ changes: res.decided.map((d) => ({ change: pendingJson(d.change), entries: entriesJson(d.result) })) });
        },
      }),
    );
    routes.push(
      route({
        method: 'post',
        path: `${base}/inputs/{table}/pending/{id}/${decision}`,
        operationId: id(`${decision}Pending`),
        summary:
          decision === 'approve'
            ? 'Approve with a comment (not your own change: four eyes); 409 when a row moved on since it was proposed, or the change was already decided'
            : 'Reject with a comment; 409 when the change was already decided',
        tags: tags('approvals'),
        auth,
        params: { table: TABLE, id: 'Pending change id.' },
        body: DecideSchema,
        responses: { 200: { description: decision === 'approve' ? 'Approved and written' : 'Rejected', json: DecisionResponseSchema } },
        errors: WRITE_ERRORS,
        handler: async (c, { body }) => {
          const actor = actorOf(c, body.user);
          if (actor instanceof Response) return actor;
          const table = param(c, 'table');
          const res = await pending[decision](table, param(c, 'id'), { ...actor, comment: body.comment });
          if (!res.ok) return sendFailure(c, fromWriteError(res.error));
          // either decision changes what BI reads: the state and `<t>__pending`
          settings.onWrite?.(table);
          const entries = res.result && res.result.ok ? res.result.entries.map((e) => ({ entry_id: e.entryId, key: e.key, version: e.version, op: e.op })) : [];
          return c.json({ change: pendingJson(res.change), entries });
        },
      }),
    );
  }

  routes.push(
    route({
      method: 'post',
      path: `${base}/inputs/{table}/actions/{action}`,
      operationId: id('runAction'),
      summary: 'Run a declared one-click action on keys (an ordinary logged write), then its webhook',
      tags: tags('actions'),
      auth,
      params: { table: TABLE, action: 'Action name.' },
      headers: [IDEMPOTENCY_HEADER],
      body: ActionSchema,
      responses: {
        200: { description: 'Written (the webhook outcome included when the action has one)', json: ActionResponseSchema },
        202: { description: 'The write needs approval: recorded as a pending change', json: PendingActionResponseSchema },
      },
      errors: WRITE_ERRORS,
      handler: async (c, { body: b }) => {
        const actor = actorOf(c, b.user);
        if (actor instanceof Response) return actor;
        const refused = confirmationFailure(b.keys.length, 'changing', b, settings);
        if (refused) return sendFailure(c, refused);
        const key = idempotencyKey(c);
        if (!key.ok) return sendFailure(c, key.failure);
        const table = param(c, 'table');
        const res = await actions.run(table, param(c, 'action'), {
          ...actor,
          keys: b.keys,
          ...(b.comment !== undefined ? { comment: b.comment } : {}),
          ...(b.confirm ? { confirm: true } : {}),
          ...(b.dry_run ? { dryRun: true } : {}),
          ...(b.scenario ? { scenario: b.scenario } : {}),
          ...(key.value !== undefined ? { requestId: key.value } : {}),
        });
        const webhook = res.ok && res.webhook ? { webhook: { call_id: res.webhook.callId, status: res.webhook.status, attempts: res.webhook.attempts, http_status: res.webhook.httpStatus, error: res.webhook.error } } : {};
        return sendWriteResult(c, res, table, settings, webhook);
      },
    }),
    route({
      method: 'get',
      path: `${base}/inputs/{table}/webhook-calls`,
      operationId: id('listWebhookCalls'),
      summary: 'Recorded webhook calls of the table (needs `read`)',
      tags: tags('actions'),
      auth,
      params: { table: TABLE },
      responses: { 200: { description: 'OK', json: WebhookCallsResponseSchema } },
      errors: ['not_found', 'forbidden'],
      handler: async (c) => {
        const res = await actions.calls(param(c, 'table'), readerOf(c));
        return res.ok ? c.json({ calls: res.calls }) : sendFailure(c, fromWriteError(res.error));
      },
    }),
  );
  return routes;
}

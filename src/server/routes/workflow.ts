import { type Context, Hono } from 'hono';
import { z } from 'zod';
import type { PendingChange } from '../../workflow/pending-store.js';
import { checkScenarioPermission } from '../../workflow/scenario-permission.js';
import type { ScenarioInfo } from '../../workflow/scenario-store.js';
import type { Actor } from '../../auth/actor.js';
import type { WireRow } from '../../write/types.js';
import { apiError, fromWriteError } from '../api-error.js';
import type { ServerVariables } from '../context.js';
import type { ServerLibrary } from '../library.js';
import { parseJsonBody, parseQuery, sendFailure } from '../parse-request.js';
import { confirmationFailure, idempotencyKey, sendWriteResult, type BulkSettings } from '../write-request.js';

const user = z.string().min(1).optional().describe('Admin routes only: the user recorded (required there).');
const keys = z.array(z.record(z.string(), z.unknown())).min(1);

/** `POST /scenarios`. */
export const ScenarioCreateSchema = z.strictObject({ name: z.string().min(1), from: z.string().min(1).optional(), description: z.string().optional(), user });
/** `POST /scenarios/{name}/archive`. */
export const ScenarioArchiveSchema = z.strictObject({ user });
/** `POST /scenarios/{name}/promote`. */
export const PromoteSchema = z.strictObject({
  table: z.string().min(1).optional(),
  comment: z.string().optional(),
  dry_run: z.boolean().optional(),
  confirm: z.boolean().optional(),
  expected_preview: z.string().min(1).optional().describe('The `preview` digest of the dry run being confirmed: if what would be written changed since, 409 and nothing is promoted.'),
  user,
});
/** `GET /scenarios/compare`. */
export const CompareQuerySchema = z.strictObject({
  a: z.string().min(1).describe('Scenario a (`base` or a recorded scenario; an invalid name is 400, an unknown one 404).'),
  b: z.string().min(1).describe('Scenario b (same rules as a).'),
  table: z.string().min(1).optional().describe('Only this input table (default: every table with scenarios).'),
  user: z.string().optional().describe('Ignored (admin routes).'),
});
/** `POST /inputs/{t}/reset`. */
export const ResetSchema = z.strictObject({ keys, scenario: z.string().min(1), comment: z.string().optional(), dry_run: z.boolean().optional(), confirm: z.boolean().optional(), user });
/** `GET /inputs/{t}/pending`. */
export const PendingQuerySchema = z.strictObject({
  status: z.enum(['pending', 'approved', 'rejected', 'all']).optional().describe('`pending` (default), `approved`, `rejected` or `all`.'),
  user: z.string().optional().describe('Ignored (admin routes).'),
});
/** `POST /inputs/{t}/pending/{id}/approve|reject`. */
export const DecideSchema = z.strictObject({ comment: z.string().min(1), user });
/** `POST /inputs/{t}/actions/{action}`. */
export const ActionSchema = z.strictObject({
  keys,
  comment: z.string().optional(),
  confirm: z.boolean().optional(),
  dry_run: z.boolean().optional(),
  scenario: z.string().min(1).optional(),
  user,
});

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

/**
 * Scenarios, pending changes (approvals), scenario resets and one-click actions (issue 5).
 * `admin`: mounted under `/api/v1/admin` for the CLI — the caller is the administrator and names
 * the recorded user in the body (`user`); otherwise the actor comes from the token.
 */
export function workflowRoutes(wb: ServerLibrary, settings: BulkSettings & { bodyLimitBytes: number }, admin: boolean) {
  const app = new Hono<{ Variables: ServerVariables }>();
  const limit = settings.bodyLimitBytes;
  const { scenarios, pending, actions } = wb;
  if (!scenarios || !pending || !actions) return app; // a library without workflows (test wrappers)
  /** The acting user: the token's actor, or (admin routes) the administrator named `user`. */
  const actorOf = (c: Context<{ Variables: ServerVariables }>, named: string | undefined): Actor | Response => {
    if (!admin) {
      if (named !== undefined) return sendFailure(c, apiError('bad_request', '`user` is taken from the token; do not send it'));
      return c.get('actor');
    }
    if (!named) return sendFailure(c, apiError('bad_request', 'admin calls name the recorded `user`'));
    return { user: named };
  };
  const readerOf = (c: Context<{ Variables: ServerVariables }>): Actor | undefined => (admin ? undefined : c.get('actor'));

  app.get('/scenarios', async (c) => {
    const actor = readerOf(c);
    const may = (action: 'create' | 'archive', s?: ScenarioInfo) => checkScenarioPermission(wb.project, actor, action, s) === undefined;
    const list = (await scenarios.list()).map((s) => ({ ...scenarioJson(s), permissions: { archive: s.name !== 'base' && s.archivedAt === null && may('archive', s) } }));
    return c.json({ scenarios: list, permissions: { create: may('create') } });
  });

  app.post('/scenarios', async (c) => {
    const body = await parseJsonBody(c, ScenarioCreateSchema, limit);
    if (!body.ok) return sendFailure(c, body.failure);
    const actor = actorOf(c, body.value.user);
    if (actor instanceof Response) return actor;
    const b = body.value;
    const res = await scenarios.create({ ...actor, name: b.name, ...(b.from ? { from: b.from } : {}), ...(b.description ? { description: b.description } : {}) });
    return res.ok ? c.json({ scenario: scenarioJson(res.scenario) }, 201) : sendFailure(c, fromWriteError(res.error));
  });

  app.get('/scenarios/compare', async (c) => {
    const q = parseQuery(c, CompareQuerySchema);
    if (!q.ok) return sendFailure(c, q.failure);
    const { a, b, table } = q.value.query;
    const reader = readerOf(c);
    const res = await scenarios.compare(a, b, { ...(table ? { table } : {}), ...(reader ? { actor: reader } : {}) });
    return res.ok ? c.json({ a: res.a, b: res.b, tables: res.tables }) : sendFailure(c, fromWriteError(res.error));
  });

  app.post('/scenarios/:name/archive', async (c) => {
    const body = await parseJsonBody(c, ScenarioArchiveSchema, limit);
    if (!body.ok) return sendFailure(c, body.failure);
    const actor = actorOf(c, body.value.user);
    if (actor instanceof Response) return actor;
    const res = await scenarios.archive(c.req.param('name'), actor);
    return res.ok ? c.json({ scenario: scenarioJson(res.scenario) }) : sendFailure(c, fromWriteError(res.error));
  });

  app.post('/scenarios/:name/promote', async (c) => {
    const body = await parseJsonBody(c, PromoteSchema, limit);
    if (!body.ok) return sendFailure(c, body.failure);
    const actor = actorOf(c, body.value.user);
    if (actor instanceof Response) return actor;
    const b = body.value;
    const res = await scenarios.promote(c.req.param('name'), {
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
  });

  app.post('/inputs/:table/reset', async (c) => {
    const body = await parseJsonBody(c, ResetSchema, limit);
    if (!body.ok) return sendFailure(c, body.failure);
    const actor = actorOf(c, body.value.user);
    if (actor instanceof Response) return actor;
    const b = body.value;
    const refused = confirmationFailure(b.keys.length, 'resetting', b, settings);
    if (refused) return sendFailure(c, refused);
    const key = idempotencyKey(c);
    if (!key.ok) return sendFailure(c, key.failure);
    const table = c.req.param('table');
    const res = await scenarios.reset(table, b.keys as WireRow[], {
      ...actor,
      scenario: b.scenario,
      ...(b.comment ? { comment: b.comment } : {}),
      ...(b.dry_run ? { dryRun: true } : {}),
      ...(key.value !== undefined ? { requestId: key.value } : {}),
    });
    return sendWriteResult(c, res, table, settings);
  });

  app.get('/inputs/:table/pending', async (c) => {
    const q = parseQuery(c, PendingQuerySchema);
    if (!q.ok) return sendFailure(c, q.failure);
    const reader = readerOf(c);
    const res = await pending.list(c.req.param('table'), { ...(q.value.query.status ? { status: q.value.query.status } : {}), ...(reader ? { actor: reader } : {}) });
    return res.ok ? c.json({ changes: res.changes.map(pendingJson) }) : sendFailure(c, fromWriteError(res.error));
  });

  for (const decision of ['approve', 'reject'] as const) {
    app.post(`/inputs/:table/pending/:id/${decision}`, async (c) => {
      const body = await parseJsonBody(c, DecideSchema, limit);
      if (!body.ok) return sendFailure(c, body.failure);
      const actor = actorOf(c, body.value.user);
      if (actor instanceof Response) return actor;
      const table = c.req.param('table');
      const res = await pending[decision](table, c.req.param('id'), { ...actor, comment: body.value.comment });
      if (!res.ok) return sendFailure(c, fromWriteError(res.error));
      if (decision === 'approve') settings.onWrite?.(table);
      const entries = res.result && res.result.ok ? res.result.entries.map((e) => ({ entry_id: e.entryId, key: e.key, version: e.version, op: e.op })) : [];
      return c.json({ change: pendingJson(res.change), entries });
    });
  }

  app.post('/inputs/:table/actions/:action', async (c) => {
    const body = await parseJsonBody(c, ActionSchema, limit);
    if (!body.ok) return sendFailure(c, body.failure);
    const actor = actorOf(c, body.value.user);
    if (actor instanceof Response) return actor;
    const b = body.value;
    const refused = confirmationFailure(b.keys.length, 'changing', b, settings);
    if (refused) return sendFailure(c, refused);
    const key = idempotencyKey(c);
    if (!key.ok) return sendFailure(c, key.failure);
    const table = c.req.param('table');
    const res = await actions.run(table, c.req.param('action'), {
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
  });

  app.get('/inputs/:table/webhook-calls', async (c) => {
    const table = c.req.param('table');
    if (!wb.inputs.list(readerOf(c)).some((t) => t.name === table)) return sendFailure(c, apiError('not_found', `unknown input table '${table}'`));
    return c.json({ calls: await actions.calls(table, readerOf(c)) });
  });

  return app;
}

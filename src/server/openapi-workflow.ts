import { z } from 'zod';
import { ActionSchema, CompareQuerySchema, DecideSchema, PendingQuerySchema, PromoteSchema, ResetSchema, ScenarioArchiveSchema, ScenarioCreateSchema } from './routes/workflow.js';
import { queryParameters } from './openapi-query.js';

const body = (schema: z.ZodType) => {
  const { $schema: _s, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return { required: true, content: { 'application/json': { schema: rest } } };
};
const ok = (description: string) => ({ description, content: { 'application/json': { schema: { type: 'object' } } } });
const errs = (...statuses: number[]) => Object.fromEntries(statuses.map((s) => [String(s), { $ref: `#/components/responses/E${s}` }]));
const p = (name: string, where: 'path' | 'query', description: string, required = where === 'path') => ({ name, in: where, required, description, schema: { type: 'string' } });
const table = p('table', 'path', 'Input table name.');

/** OpenAPI paths of the planning workflows (issue 5): scenarios, resets, pending changes, actions. */
export function workflowPaths(): Record<string, unknown> {
  return {
    '/scenarios': {
      get: {
        summary: "Every scenario (`base` first) with its parent, creator and archive state; `permissions.create` and each scenario's `permissions.archive` say what the caller may do",
        responses: { 200: ok('OK'), ...errs(401) },
      },
      post: {
        summary: 'Create a scenario that falls back to `from` (default base); the role must be allowed to create scenarios (project.yml `scenarios.create`, default: roles with `write` on a table with scenarios)',
        requestBody: body(ScenarioCreateSchema),
        responses: { 201: ok('Created'), ...errs(400, 401, 403, 404, 409) },
      },
    },
    '/scenarios/compare': {
      get: {
        summary: 'Per key, the values that differ between scenarios a and b (numeric deltas b − a)',
        parameters: queryParameters(CompareQuerySchema),
        responses: { 200: ok('OK'), ...errs(400, 401, 403, 404) },
      },
    },
    '/scenarios/{name}/archive': {
      post: {
        summary: "Archive a scenario; the role must be allowed to (project.yml `scenarios.archive`, default: roles with `approve` on a table with scenarios, and the scenario's creator)",
        parameters: [p('name', 'path', 'Scenario.')],
        requestBody: body(ScenarioArchiveSchema),
        responses: { 200: ok('OK'), ...errs(400, 401, 403, 404) },
      },
    },
    '/scenarios/{name}/promote': {
      post: {
        summary: "Write the scenario's overrides into its parent (dry_run = preview; otherwise confirm is required). Ordinary writes by the caller: 403 unless the role has `write` (and `delete` for keys the scenario deleted) on every table promoted, within its row filter",
        parameters: [p('name', 'path', 'Scenario.')],
        requestBody: body(PromoteSchema),
        responses: { 200: ok('Promoted, or the preview'), ...errs(400, 401, 403, 404, 409, 422) },
      },
    },
    '/inputs/{table}/reset': { post: { summary: "Remove a scenario's override of keys: they follow the parent again (logged as op reset)", parameters: [table], requestBody: body(ResetSchema), responses: { 200: ok('Reset'), ...errs(400, 401, 403, 404) } } },
    '/inputs/{table}/pending': {
      get: { summary: 'Changes waiting for approval (or decided ones)', parameters: [table, ...queryParameters(PendingQuerySchema)], responses: { 200: ok('OK'), ...errs(400, 401, 403, 404) } },
    },
    '/inputs/{table}/pending/{id}/approve': {
      post: { summary: 'Approve with a comment (not your own change); 409 when a row moved on since', parameters: [table, p('id', 'path', 'Pending change id.')], requestBody: body(DecideSchema), responses: { 200: ok('Approved and written'), ...errs(400, 401, 403, 404, 409) } },
    },
    '/inputs/{table}/pending/{id}/reject': {
      post: { summary: 'Reject with a comment', parameters: [table, p('id', 'path', 'Pending change id.')], requestBody: body(DecideSchema), responses: { 200: ok('Rejected'), ...errs(400, 401, 403, 404, 409) } },
    },
    '/inputs/{table}/actions/{action}': {
      post: {
        summary: 'Run a declared one-click action on keys (an ordinary logged write), then its webhook',
        parameters: [table, p('action', 'path', 'Action name.')],
        requestBody: body(ActionSchema),
        responses: { 200: ok('Written (webhook outcome included)'), 202: ok('Waiting for approval'), ...errs(400, 401, 403, 404, 409, 422) },
      },
    },
    '/inputs/{table}/webhook-calls': { get: { summary: 'Recorded webhook calls of the table', parameters: [table], responses: { 200: ok('OK'), ...errs(401, 404) } } },
  };
}

import { z } from 'zod';
import { WireRowSchema, WireValueSchema, WrittenEntrySchema, wireRegistry } from '../http/wire-schemas.js';

/**
 * Request and response bodies of the planning workflows (scenarios, resets, pending changes,
 * actions, webhook calls): checked on requests and named in the OpenAPI document.
 */

const user = z.string().min(1).optional().describe('Admin routes only: the user recorded (required there).');
const keys = z.array(z.record(z.string(), z.unknown())).min(1);
const time = z.string().describe('ISO 8601, UTC.');

/** `POST /scenarios`. */
export const ScenarioCreateSchema = z
  .strictObject({ name: z.string().min(1), from: z.string().min(1).optional(), description: z.string().optional(), user })
  .register(wireRegistry, { id: 'ScenarioCreateRequest' });
/** `POST /scenarios/{name}/archive`. */
export const ScenarioArchiveSchema = z.strictObject({ user }).register(wireRegistry, { id: 'ScenarioArchiveRequest' });
/** `POST /scenarios/{name}/promote`. */
export const PromoteSchema = z
  .strictObject({
    table: z.string().min(1).optional(),
    comment: z.string().optional(),
    dry_run: z.boolean().optional(),
    confirm: z.boolean().optional(),
    expected_preview: z.string().min(1).optional().describe('The `preview` digest of the dry run being confirmed: if what would be written changed since, 409 and nothing is promoted.'),
    user,
  })
  .register(wireRegistry, { id: 'PromoteRequest' });
/** `GET /scenarios/compare`. */
export const CompareQuerySchema = z.strictObject({
  a: z.string().min(1).describe('Scenario a (`base` or a recorded scenario; an invalid name is 400, an unknown one 404).'),
  b: z.string().min(1).describe('Scenario b (same rules as a).'),
  table: z.string().min(1).optional().describe('Only this input table (default: every table with scenarios).'),
  user: z.string().optional().describe('Ignored (admin routes).'),
});
/** `POST /inputs/{t}/reset`. */
export const ResetSchema = z
  .strictObject({ keys, scenario: z.string().min(1), comment: z.string().optional(), dry_run: z.boolean().optional(), confirm: z.boolean().optional(), user })
  .register(wireRegistry, { id: 'ResetRequest' });
/** `GET /inputs/{t}/pending`. */
export const PendingQuerySchema = z.strictObject({
  status: z.enum(['pending', 'approved', 'rejected', 'all']).optional().describe('`pending` (default), `approved`, `rejected` or `all`.'),
  user: z.string().optional().describe('Ignored (admin routes).'),
});
/** `POST /inputs/{t}/pending/{id}/approve|reject`. */
export const DecideSchema = z.strictObject({ comment: z.string().min(1), user }).register(wireRegistry, { id: 'DecisionRequest' });
/** `POST /inputs/{t}/pending/approve|reject`: several changes decided together. */
export const DecideManySchema = z
  .strictObject({
    ids: z.array(z.string().min(1)).min(1).max(1000).describe('Pending change ids (at most 1,000), decided in one transaction: all or none.'),
    comment: z.string().min(1),
    user,
  })
  .register(wireRegistry, { id: 'DecisionManyRequest' });
/** `POST /inputs/{t}/actions/{action}`. */
export const ActionSchema = z
  .strictObject({
    keys,
    comment: z.string().optional(),
    confirm: z.boolean().optional(),
    dry_run: z.boolean().optional(),
    scenario: z.string().min(1).optional(),
    user,
  })
  .register(wireRegistry, { id: 'ActionRequest' });

/** A scenario (`base` is implicit: no creator, no times). */
export const ScenarioSchema = z
  .object({
    name: z.string(),
    parent: z.string().nullable(),
    description: z.string().nullable(),
    created_by: z.string().nullable(),
    created_at: time.nullable(),
    archived_by: z.string().nullable(),
    archived_at: time.nullable(),
  })
  .register(wireRegistry, { id: 'Scenario' });

/** `GET /scenarios`. */
export const ScenariosResponseSchema = z
  .object({
    scenarios: z.array(ScenarioSchema.extend({ permissions: z.object({ archive: z.boolean().describe('The caller may archive it.') }) })),
    permissions: z.object({ create: z.boolean().describe('The caller may create scenarios.') }),
  })
  .register(wireRegistry, { id: 'ScenariosResponse' });

/** `POST /scenarios`, `POST /scenarios/{name}/archive`. */
export const ScenarioResponseSchema = z.object({ scenario: ScenarioSchema }).register(wireRegistry, { id: 'ScenarioResponse' });

/** `GET /scenarios/compare`. */
export const CompareResponseSchema = z
  .object({
    a: z.string(),
    b: z.string(),
    tables: z.array(
      z.object({
        table: z.string(),
        rows: z.array(
          z.object({
            key: z.record(z.string(), WireValueSchema),
            status: z.enum(['changed', 'only_in_a', 'only_in_b']),
            changes: z.array(
              z.object({
                column: z.string(),
                a: WireValueSchema,
                b: WireValueSchema,
                delta: z.union([z.number(), z.string(), z.null()]).optional().describe('b − a for numeric columns (decimals exact, as strings).'),
              }),
            ),
          }),
        ),
      }),
    ),
  })
  .register(wireRegistry, { id: 'CompareResponse' });

/** `POST /scenarios/{name}/promote`. */
export const PromoteResponseSchema = z
  .object({
    scenario: z.string(),
    parent: z.string(),
    dry_run: z.boolean(),
    rows: z.number().int(),
    tables: z.array(
      z.object({
        table: z.string(),
        upserts: z.array(WireRowSchema).describe('Rows upserted into the parent: key + the columns the scenario overrides.'),
        before: z.array(WireRowSchema.nullable()).describe("Per upsert (same order), the parent's values of the same columns before promoting; null where the parent has no such key."),
        deletes: z.array(WireRowSchema).describe('Keys deleted in the parent.'),
        entries: z.number().int(),
        needsApproval: z.literal(true).optional().describe("The caller's writes to this table need approval: they become pending changes."),
        pending: z.array(z.string()).optional().describe('Pending changes created instead of writes.'),
      }),
    ),
    preview: z.string().describe('Digest of what is (or would be) written: send it back as `expected_preview` to confirm exactly this preview.'),
  })
  .register(wireRegistry, { id: 'PromoteResponse' });

/** A change waiting for approval, or a decided one. */
export const PendingChangeSchema = z
  .object({
    id: z.string(),
    table: z.string(),
    scenario: z.string(),
    op: z.enum(['upsert', 'delete']),
    rows: z.array(WireRowSchema).describe('The rows as sent (without `_version`).'),
    versions: z.array(z.number().int()).describe("Each row's `_version` when proposed (0 = did not exist)."),
    proposed_by: z.string(),
    proposed_role: z.string().nullable(),
    proposed_at: time,
    comment: z.string().nullable(),
    status: z.enum(['pending', 'approved', 'rejected']),
    decided_by: z.string().nullable(),
    decided_at: time.nullable(),
    decision_comment: z.string().nullable(),
    entry_ids: z.array(z.string()).nullable().describe('Log entries of the decision.'),
  })
  .register(wireRegistry, { id: 'PendingChange' });

/** `GET /inputs/{t}/pending`. */
export const PendingListResponseSchema = z.object({ changes: z.array(PendingChangeSchema) }).register(wireRegistry, { id: 'PendingListResponse' });

/** `POST /inputs/{t}/pending/{id}/approve|reject`. */
export const DecisionResponseSchema = z
  .object({ change: PendingChangeSchema, entries: z.array(WrittenEntrySchema).describe('Entries written by an approval (`reject` entries for a rejection are not listed).') })
  .register(wireRegistry, { id: 'DecisionResponse' });

/** `POST /inputs/{t}/pending/approve|reject`. */
export const DecisionManyResponseSchema = z
  .object({ changes: z.array(DecisionResponseSchema).describe('One per id, in the order sent.') })
  .register(wireRegistry, { id: 'DecisionManyResponse' });

/** One recorded webhook call. */
export const WebhookCallSchema = z
  .object({
    call_id: z.string(),
    action: z.string(),
    url: z.string(),
    user: z.string(),
    entry_ids: z.array(z.string()),
    status: z.string().describe('`ok` or `failed`.'),
    attempts: z.number().int(),
    http_status: z.number().int().nullable(),
    error: z.string().nullable(),
    created_at: time,
    finished_at: time.nullable(),
  })
  .register(wireRegistry, { id: 'WebhookCall' });

/** `GET /inputs/{t}/webhook-calls`. */
export const WebhookCallsResponseSchema = z.object({ calls: z.array(WebhookCallSchema) }).register(wireRegistry, { id: 'WebhookCallsResponse' });

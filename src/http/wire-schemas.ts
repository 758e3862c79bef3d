import { z } from 'zod';
import type { LogOp } from '../managed/log-ops.js';
import type { WrittenEntry } from '../write/types.js';
import { HISTORY_LIMITS } from '../write/read-history.js';
import { READ_LIMITS } from '../write/read-rows.js';
import { API_ERROR_CODES } from './api-error.js';

/** Every named schema of the API, for the `components.schemas` of the OpenAPI document. */
export const wireRegistry = z.registry<{ id: string }>();

/**
 * The HTTP API's request and response bodies: one zod schema per shape, used to check
 * requests and to generate `/api/v1/openapi.json`. Bodies and query parameters are snake_case.
 * Response schemas are closed objects (`additionalProperties: false` in the document), so a
 * field the server sends but the document lacks fails the response-validation test.
 */

/** Every log op (a Record, so a new op must be added here). */
const LOG_OPS: Record<LogOp, string> = {
  upsert: 'created or changed the row',
  delete: 'deleted the row',
  reset: "removed a scenario's override (the key follows the parent again)",
  propose_upsert: 'proposed a change waiting for approval',
  propose_delete: 'proposed a deletion waiting for approval',
  reject: 'rejected a proposed change',
};
/** The ops of written entries. */
const WRITTEN_OPS: Record<WrittenEntry['op'], true> = { upsert: true, delete: true, reset: true, reject: true, unchanged: true };
const enumOf = <K extends string>(record: Record<K, unknown>) => z.enum(Object.keys(record) as [K, ...K[]]);

/** A cell value on the wire: decimals and integers beyond 2^53 as strings, dates and timestamps ISO 8601. */
export const WireValueSchema = z.union([z.string(), z.number(), z.boolean(), z.null()]).register(wireRegistry, { id: 'WireValue' });

/** One row: user columns, optionally `_version` (the version it was based on; 0 = must not exist yet). */
export const WireRowSchema = z
  .record(z.string(), z.unknown())
  .describe('User columns by name, plus optional `_version` for optimistic concurrency.')
  .register(wireRegistry, { id: 'Row' });

const bulkFields = {
  scenario: z.string().optional().describe('Scenario to write; default `base`.'),
  comment: z.string().max(2000).optional().describe('Stored with every entry of the batch.'),
  dry_run: z.boolean().optional().describe('Validate, authorize and check conflicts, write nothing; the response says what would be written.'),
  confirm: z.boolean().optional().describe('Required for bulk changes above the confirmation threshold.'),
};

/** Body of `POST /inputs/{table}/rows`. */
export const WriteBodySchema = z
  .strictObject({ rows: z.array(WireRowSchema).min(1).describe('Rows to upsert, all or nothing.'), ...bulkFields })
  .register(wireRegistry, { id: 'WriteRequest' });

/** Body of `POST /inputs/{table}/delete`. */
export const DeleteBodySchema = z
  .strictObject({
    keys: z.array(WireRowSchema).min(1).describe('Keys to delete: every key column, plus optional `_version`.'),
    ...bulkFields,
  })
  .register(wireRegistry, { id: 'DeleteRequest' });

/** Body of `POST /admin/inputs/{table}/rows` (the CLI, acting as administrator for `user`). */
export const AdminWriteBodySchema = WriteBodySchema.extend({ user: z.string().min(1) }).register(wireRegistry, { id: 'AdminWriteRequest' });

/** Body of `POST /admin/inputs/{table}/delete`. */
export const AdminDeleteBodySchema = DeleteBodySchema.extend({ user: z.string().min(1) }).register(wireRegistry, { id: 'AdminDeleteRequest' });

/** One entry written by a batch. */
export const WrittenEntrySchema = z
  .object({
    entry_id: z.string().nullable().describe('The log entry; null for an `unchanged` row (nothing was logged).'),
    key: z.record(z.string(), WireValueSchema),
    version: z.number().int().describe("The row's `_version` after the write."),
    op: enumOf(WRITTEN_OPS).describe(
      '`upsert`, `delete`, `reset` (a scenario reset), `reject` (a rejected pending change) or `unchanged` (the row already held every value sent, each column set: nothing logged, version kept).',
    ),
  })
  .register(wireRegistry, { id: 'WrittenEntry' });

/** Response of a write or delete. */
export const WriteResponseSchema = z
  .object({
    entries: z.array(WrittenEntrySchema),
    at: z.string().describe('Time recorded on every entry (ISO 8601, UTC, milliseconds).'),
    replayed: z.boolean().describe('True when this is the stored result of an earlier request with the same Idempotency-Key.'),
    dry_run: z.boolean(),
    pending: z
      .object({ id: z.string(), status: z.literal('pending'), rows: z.number().int() })
      .optional()
      .describe('The write needs approval (HTTP 202): it was logged as a proposal and is pending change `id`; the state is untouched.'),
    needs_approval: z.literal(true).optional().describe('A dry run of a write that would become a pending change.'),
  })
  .register(wireRegistry, { id: 'WriteResponse' });

/** Response of a write that needs approval (HTTP 202): nothing is in the state until approved. */
export const PendingWriteResponseSchema = WriteResponseSchema.extend({
  entries: z.array(WrittenEntrySchema).max(0),
  pending: z.object({ id: z.string(), status: z.literal('pending'), rows: z.number().int() }).describe('The pending change (`GET /inputs/{table}/pending`).'),
}).register(wireRegistry, { id: 'PendingWriteResponse' });

/** The outcome of an action's webhook. */
export const WebhookOutcomeSchema = z
  .object({
    call_id: z.string(),
    status: z.enum(['ok', 'failed']),
    attempts: z.number().int(),
    http_status: z.number().int().nullable(),
    error: z.string().nullable(),
  })
  .register(wireRegistry, { id: 'WebhookOutcome' });

/** Response of an action: a write response, plus the webhook's outcome when the action has one. */
export const ActionResponseSchema = WriteResponseSchema.extend({ webhook: WebhookOutcomeSchema.optional() }).register(wireRegistry, { id: 'ActionResponse' });

/** An action that needs approval (HTTP 202). */
export const PendingActionResponseSchema = PendingWriteResponseSchema.extend({ webhook: WebhookOutcomeSchema.optional() }).register(wireRegistry, { id: 'PendingActionResponse' });

/** Response of `GET /inputs/{table}/rows`. */
export const RowsResponseSchema = z
  .object({ rows: z.array(z.record(z.string(), WireValueSchema)), next_cursor: z.string().nullable() })
  .register(wireRegistry, { id: 'RowsResponse' });

/** Response of `GET /models/{model}/rows` as JSON: a view's columns may hold any JSON value (lists, structs). */
export const ModelRowsResponseSchema = z
  .object({ rows: z.array(z.record(z.string(), z.unknown())), next_cursor: z.string().nullable() })
  .register(wireRegistry, { id: 'ModelRowsResponse' });

/** One log entry in a history response. */
export const HistoryEntrySchema = z
  .object({
    entry_id: z.string(),
    seq: z.number().int().nullable().describe("Position in the table's hash chain; null for a caller with a row filter (the chain also counts entries it may not see)."),
    op: enumOf(LOG_OPS).describe(Object.entries(LOG_OPS).map(([op, what]) => `\`${op}\`: ${what}`).join('; ')),
    scenario: z.string(),
    key: z.record(z.string(), WireValueSchema),
    version: z.number().int(),
    user: z.string().describe('Who wrote it: the stable user id (`<issuer>#<subject>` for people signed in through the identity provider).'),
    user_name: z.string().nullable().describe("The writer's display name from the users directory; null when unknown (tokens, CLI, dev user)."),
    user_email: z.string().nullable().describe("The writer's e-mail address from the users directory; null when unknown."),
    at: z.string(),
    request_id: z.string().nullable(),
    comment: z.string().nullable(),
    changes: z.array(z.object({ column: z.string(), old: WireValueSchema, new: WireValueSchema })),
  })
  .register(wireRegistry, { id: 'HistoryEntry' });

/** Response of `GET /inputs/{table}/history`. */
export const HistoryResponseSchema = z.object({ entries: z.array(HistoryEntrySchema) }).register(wireRegistry, { id: 'HistoryResponse' });

/** A portable column type as the rules module reads it. */
const RuleTypeSchema = z.union([
  z.object({ kind: z.enum(['string', 'text', 'integer', 'number', 'boolean', 'date', 'timestamp']) }),
  z.object({ kind: z.literal('decimal'), precision: z.number().int(), scale: z.number().int() }),
  z.object({ kind: z.literal('enum'), values: z.array(z.string()) }),
]);

/** The column as the shared rules module (src/rules/column-rules.js) reads it; the form checks values with it. */
const ColumnRuleSchema = z
  .object({
    type: RuleTypeSchema,
    min: z.union([z.number(), z.string()]).optional(),
    max: z.union([z.number(), z.string()]).optional(),
    pattern: z.string().optional(),
    maxLength: z.number().int().optional(),
    allowedValues: z.array(z.string()).optional(),
  })
  .register(wireRegistry, { id: 'ColumnRule' });

/** One column of an input table as described by `GET /inputs`. */
export const ColumnDescriptionSchema = z
  .object({
    name: z.string(),
    type: z.string().describe('`string`, `text`, `integer`, `number`, `decimal(p,s)`, `boolean`, `date`, `timestamp` or `enum`.'),
    description: z.string().optional(),
    key: z.boolean(),
    required: z.boolean(),
    default: WireValueSchema.optional(),
    min: z.union([z.number(), z.string()]).optional(),
    max: z.union([z.number(), z.string()]).optional(),
    pattern: z.string().optional(),
    max_length: z.number().int().optional(),
    values: z.array(z.string()).optional().describe('Allowed values (enum values, or a fixed list).'),
    values_from: z.object({ source: z.string(), table: z.string(), column: z.string() }).optional(),
    transitions: z
      .record(z.string(), z.array(z.object({ to: z.string(), roles: z.array(z.string()).optional() })))
      .optional()
      .describe('Status workflow: from value → the values it may move to (`roles` = only these roles).'),
    initial: z.array(z.string()).optional().describe('Status workflow: the values a new row may start in.'),
    locked: z.record(z.string(), z.array(z.string())).optional().describe('Status workflow: value → the roles that may still change a row in it (`[]`: only the administrator).'),
    rule: ColumnRuleSchema,
  })
  .register(wireRegistry, { id: 'Column' });

/** One input table as described by `GET /inputs`. */
export const InputDescriptionSchema = z
  .object({
    name: z.string(),
    description: z.string().optional(),
    key: z.array(z.string()),
    scenarios: z.boolean(),
    links_to: z.object({ source: z.string(), table: z.string(), on: z.record(z.string(), z.string()) }).optional(),
    columns: z.array(ColumnDescriptionSchema),
    permissions: z
      .object({ read: z.boolean(), write: z.boolean(), delete: z.boolean(), approve: z.boolean(), row_filter: z.record(z.string(), WireValueSchema) })
      .describe("The caller's permissions; `row_filter` maps a column (`source.<col>` for the linked source) to the value it must have."),
    approval: z
      .object({ required_for: z.array(z.string()).optional(), when: z.record(z.string(), z.record(z.string(), z.unknown())).optional() })
      .optional()
      .describe('Writes that become pending changes until approved.'),
    actions: z
      .array(z.object({ name: z.string(), description: z.string().optional(), set: z.record(z.string(), WireValueSchema), roles: z.array(z.string()).optional(), confirm: z.boolean(), comment_required: z.boolean() }))
      .optional()
      .describe('One-click actions (`POST /inputs/{table}/actions/{name}`).'),
    planning: z
      .object({
        rows: z.literal('links_to'),
        across: z.object({
          column: z.string(),
          values: z.array(z.string()).describe('The declared across values, in order (empty when they come from `source`).'),
          source: z.string().optional().describe('`<source>.<table>.<column>` whose distinct values are the across values (the template rows carry each).'),
        }),
        layout: z.enum(['table', 'pivot']),
        value: z.string().optional(),
        label: z.string().optional(),
        context: z.object({ source: z.string(), label: z.string() }).optional(),
      })
      .optional()
      .describe('Template rows (`GET /inputs/{table}/rows?template=true`) and the layout of the form; `context` values come from `GET /inputs/{table}/planning-context`.'),
  })
  .register(wireRegistry, { id: 'Input' });

/** Response of `GET /inputs`. */
export const InputsResponseSchema = z.object({ inputs: z.array(InputDescriptionSchema) }).register(wireRegistry, { id: 'InputsResponse' });

/** Error body of every non-2xx response. */
export const ErrorResponseSchema = z
  .object({
    error: z.object({
      code: z.enum(API_ERROR_CODES).describe('Stable code; each response lists the codes its status can carry.'),
      message: z.string(),
      details: z.array(
        z.looseObject({ row: z.number().int().optional(), column: z.string().optional(), message: z.string() }),
      ),
    }),
  })
  .register(wireRegistry, { id: 'Error' });

/**
 * A page-size query parameter: digits only (no sign, spaces, exponent or hex), 1 to `max`. Query
 * values are strings; `z.coerce.number()` would accept ' 5', '1e3' and '0x10'.
 */
export function limitParam(max: number, description: string) {
  return z
    .string()
    .regex(/^[0-9]{1,9}$/, `must be a whole number from 1 to ${max}`)
    .transform(Number)
    .pipe(z.number().int().min(1, `must be a whole number from 1 to ${max}`).max(max, `must be a whole number from 1 to ${max}`))
    .optional()
    .describe(description);
}

const scenarioParam = (what: string) =>
  z.string().min(1).optional().describe(`${what} A lower-case letter, then lower-case letters, digits and _; an invalid name is 400, a valid name never created is 404.`);

/** Query of `GET /inputs/{table}/rows`. */
export const RowsQuerySchema = z.strictObject({
  scenario: scenarioParam('Scenario read (default `base`); falls back along its parent chain.'),
  as_of: z.iso.datetime({ offset: true }).optional().describe('Read the state as of this time (ISO 8601 with a zone).'),
  limit: limitParam(READ_LIMITS.max, `Page size, 1 to ${READ_LIMITS.max}; default ${READ_LIMITS.default}.`),
  cursor: z.string().min(1).optional().describe('`next_cursor` of the previous page.'),
  template: z
    .enum(['true', 'false'])
    .optional()
    .describe(
      '`true`: also the template rows of a table with `planning:` — each linked source row in your row filter × each across value that has no row yet, with `_version` 0, null values and `_template: true` (every row then carries `_template`). Nothing is written until a value is. 400 on a table without `planning:`.',
    ),
});

/** A whole number from 0 in a query string (digits only). */
const offsetParam = z
  .string()
  .regex(/^[0-9]{1,15}$/, 'must be a whole number from 0 of at most 15 digits')
  .transform(Number)
  .optional()
  .describe('Rows (or, with `group_by`, groups) skipped before the page; default 0.');

const COLUMN_LIST = /^[^,:\s]+(,[^,:\s]+)*$/;

/** Query of `GET /inputs/{table}/grid` (plus `filter.<column>=<value>` filters). */
export const GridQuerySchema = z.strictObject({
  scenario: scenarioParam('Scenario read (default `base`); falls back along its parent chain.'),
  as_of: z.iso.datetime({ offset: true }).optional().describe('Read the state as of this time (ISO 8601 with a zone).'),
  template: z
    .enum(['true', 'false'])
    .optional()
    .describe('`true`: also the template rows of a table with `planning:` (as on `GET /rows?template=true`; rows then carry `_template`). 400 on a table without `planning:`.'),
  q: z.string().max(200, 'at most 200 characters').optional().describe('Case-insensitive substring of a key or input column (as text) or of `_updated_by`.'),
  sort: z
    .string()
    .regex(/^[^,:\s]+(:(asc|desc))?(,[^,:\s]+(:(asc|desc))?)*$/, 'must be `column[:asc|desc]`, comma-separated')
    .transform((v) => v.split(',').map((t) => {
      const [column, dir] = t.split(':');
      return { column: column!, dir: dir === 'desc' ? ('desc' as const) : ('asc' as const) };
    }))
    .optional()
    .describe('Sort terms, e.g. `amount:desc,quarter:asc` (a column of the table, `_updated_at` or `_updated_by`; default asc); the key columns break ties. Default: by key.'),
  offset: offsetParam,
  limit: limitParam(READ_LIMITS.max, `Page size (rows, or groups with \`group_by\`), 1 to ${READ_LIMITS.max}; default ${READ_LIMITS.default}.`),
  group_by: z
    .string()
    .regex(COLUMN_LIST, 'must be column names, comma-separated')
    .transform((v) => v.split(','))
    .optional()
    .describe('Page over the distinct values of these columns: `offset`/`limit` count groups and every row of the groups on the page is returned.'),
});

/** Response of `GET /inputs/{table}/grid`. */
export const GridResponseSchema = z
  .object({
    rows: z.array(z.record(z.string(), WireValueSchema)).describe('The page, in the order asked.'),
    total: z.number().int().describe('Rows matching the row filter, the filters and `q` in the scenario.'),
    totals: z.record(z.string(), WireValueSchema).describe('Sum of each numeric input column over every matching row (decimals as strings; null when no value).'),
    total_groups: z.number().int().optional().describe('Distinct groups matching, with `group_by`.'),
    parent_rows: z
      .array(z.record(z.string(), WireValueSchema))
      .optional()
      .describe("In a scenario other than `base`: the parent scenario's rows of the keys on the page (to tell what the scenario overrides)."),
    context: z
      .object({
        source: z.string().describe('`<source>.<table>` the input links to.'),
        link: z.record(z.string(), z.string()).describe('Input key column → source column.'),
        rows: z.array(z.record(z.string(), z.unknown())).describe('The source rows the rows of the page link to.'),
      })
      .nullable()
      .optional()
      .describe("The linked source's rows for the page (absent when the table links to no source; null when the caller's row filter cannot be placed on it)."),
  })
  .register(wireRegistry, { id: 'GridResponse' });

/** Query of `GET /inputs/{table}/history` (plus `key.<column>=<value>` filters). */
export const HistoryQuerySchema = z.strictObject({
  user: z.string().min(1).optional().describe('Only entries written by this user.'),
  since: z.iso.datetime({ offset: true }).optional().describe('Only entries at or after this time (ISO 8601 with a zone).'),
  scenario: z.string().min(1).optional().describe('Only entries of this scenario (a valid scenario name; an unknown one has no entries).'),
  limit: limitParam(HISTORY_LIMITS.max, `At most this many entries (the newest), 1 to ${HISTORY_LIMITS.max}; default ${HISTORY_LIMITS.default}.`),
});

/** Query of `GET /models/{model}/rows`. */
export const ModelRowsQuerySchema = z.strictObject({
  scenario: scenarioParam('Read `<model>__by_scenario` filtered on this scenario (default: `<model>`, the base scenario); an archived scenario is 400 (the view hides it).'),
  limit: limitParam(READ_LIMITS.max, `Page size, 1 to ${READ_LIMITS.max} (pages ordered by every column, JSON carries \`next_cursor\`); without it every row is streamed.`),
  cursor: z.string().min(1).optional().describe('`next_cursor` of the previous page.'),
  format: z.enum(['json', 'csv']).optional().describe('`json` or `csv`; alternative to `Accept: text/csv`.'),
});

import { z } from 'zod';
import { descriptionSchema, scalarSchema } from './common.js';

/** `values:` — a fixed list, or the values of a source column. */
export const allowedValuesSchema = z.union([
  z.array(z.union([z.string(), z.number(), z.boolean()])),
  z.strictObject({ source: z.string(), column: z.string() }),
]);

/** One column of an input table. */
export const inputColumnSchema = z.strictObject({
  /** `string, text, integer, number, decimal(p,s), boolean, date, timestamp, enum`. */
  type: z.string(),
  description: descriptionSchema,
  /** Default false; key columns are always required. */
  required: z.boolean().optional(),
  default: scalarSchema.optional(),
  min: z.union([z.number(), z.string()]).optional(),
  max: z.union([z.number(), z.string()]).optional(),
  pattern: z.string().optional(),
  max_length: z.number().int().positive().optional(),
  values: allowedValuesSchema.optional(),
  /** Enum status workflow: from value → the values it may move to (a bare value, or `{ to, roles }` to require a role). */
  transitions: z.record(z.string(), z.array(z.union([z.string(), z.strictObject({ to: z.string(), roles: z.array(z.string()).optional() })]))).optional(),
  /** Enum status workflow: the values a new row may start in (default: the column's `default`). */
  initial: z.array(z.string()).min(1).optional(),
  /** Enum status workflow: a value → the roles that may still change a row in it (`[]`: only the administrator). */
  locked: z.record(z.string(), z.array(z.string())).optional(),
});

/** One condition of `approval.when`: the new value of a column compared with a constant. */
export const approvalConditionSchema = z.strictObject({
  gt: z.union([z.number(), z.string()]).optional(),
  gte: z.union([z.number(), z.string()]).optional(),
  lt: z.union([z.number(), z.string()]).optional(),
  lte: z.union([z.number(), z.string()]).optional(),
  eq: scalarSchema.optional(),
  ne: scalarSchema.optional(),
  in: z.array(z.union([z.string(), z.number(), z.boolean()])).optional(),
});

/** `approval:` — which writes become pending changes that a role with `approve` must accept. */
export const approvalSchema = z.strictObject({
  /** Roles whose writes need approval; default every role (the administrator never needs it). */
  required_for: z.array(z.string()).optional(),
  /** Only when one of these conditions holds on a written row (default: every write). */
  when: z.record(z.string(), approvalConditionSchema).optional(),
});

/** One named one-click action: an ordinary write of fixed values on selected keys. */
export const actionSchema = z.strictObject({
  description: descriptionSchema,
  /** column → value; `today` (date column) and `now` (timestamp column) are filled at run time. */
  set: z.record(z.string(), scalarSchema),
  /** Roles that may run it (default: every role that may write). */
  roles: z.array(z.string()).optional(),
  /** Ask for `"confirm": true` before running. */
  confirm: z.boolean().optional(),
  /** `required` = the caller must give a comment. */
  comment: z.enum(['required', 'optional']).optional(),
  /** Called (POST, JSON) after the write committed; retried; the outcome is logged in `_wb_webhook_calls`. */
  webhook: z.strictObject({ url: z.string(), retries: z.number().int().min(0).max(10).optional() }).optional(),
});

/** One role's permissions on an input table. */
export const permissionSchema = z
  .strictObject({
    read: z.boolean().optional(),
    write: z.boolean().optional(),
    delete: z.boolean().optional(),
    approve: z.boolean().optional(),
    /** column (or `source.<col>`) → `user.<attribute>`. */
    row_filter: z.record(z.string(), z.string()).optional(),
  })
  .nullable();

/** `planning.context`: values of another source shown beside the planned rows (e.g. last period's actuals). */
export const planningContextSchema = z.strictObject({
  /** `<source>.<table>` holding the context values. */
  source: z.string(),
  /** Input key column → context source column (the rows of one planned row). */
  on: z.record(z.string(), z.string()),
  /** The context source column matched with `across.column` (default: the same name). */
  across: z.string().optional(),
  /** The context source column shown (a number). */
  value: z.string(),
  /** How the form names it (default: the value column's name). */
  label: z.string().optional(),
});

/** `planning:` — the rows a planner sees before anything is typed, and how the form lays them out. */
export const planningSchema = z.strictObject({
  /** `links_to`: one template row per linked source row the caller may see (the row filter applies). */
  rows: z.literal('links_to'),
  /** Times each value of one key column: `values` are strings (`{{ var('x') }}` allowed), or `{ source, column }`: the distinct non-null values of a source column. */
  across: z.strictObject({ column: z.string(), values: z.union([z.array(z.union([z.string(), z.number()])).min(1), z.strictObject({ source: z.string(), column: z.string() })]) }),
  /** `table` (default): one line per row; `pivot`: linked rows down, `across` values as columns. */
  layout: z.enum(['table', 'pivot']).optional(),
  /** The numeric input column shown in each pivot cell (required with `layout: pivot`). */
  value: z.string().optional(),
  /** A column of the linked source shown beside the key (e.g. the account name). */
  label: z.string().optional(),
  context: planningContextSchema.optional(),
});

/** `inputs/*.yml`: one input table. */
export const inputFileSchema = z.strictObject({
  /** Default: the file's base name. */
  name: z.string().optional(),
  description: descriptionSchema,
  key: z.union([z.string(), z.array(z.string()).min(1)]),
  links_to: z.strictObject({ source: z.string(), on: z.record(z.string(), z.string()) }).optional(),
  scenarios: z.boolean().optional(),
  columns: z.record(z.string(), inputColumnSchema),
  permissions: z.record(z.string(), permissionSchema).optional(),
  approval: approvalSchema.optional(),
  actions: z.record(z.string(), actionSchema).optional(),
  planning: planningSchema.optional(),
});

/** The parsed shape of an input file. */
export type InputFile = z.infer<typeof inputFileSchema>;
/** The parsed shape of one input column. */
export type InputColumnEntry = z.infer<typeof inputColumnSchema>;
/** The parsed shape of `planning:`. */
export type PlanningEntry = z.infer<typeof planningSchema>;
/** The parsed shape of one permission entry. */
export type PermissionEntry = z.infer<typeof permissionSchema>;

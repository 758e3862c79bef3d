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
});

/** The parsed shape of an input file. */
export type InputFile = z.infer<typeof inputFileSchema>;
/** The parsed shape of one input column. */
export type InputColumnEntry = z.infer<typeof inputColumnSchema>;
/** The parsed shape of one permission entry. */
export type PermissionEntry = z.infer<typeof permissionSchema>;

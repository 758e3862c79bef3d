import { z } from 'zod';
import { descriptionSchema } from './common.js';

const common = {
  /** Default: the file's base name (required when a file holds several models). */
  name: z.string().optional(),
  description: descriptionSchema,
};

/** The base relation: exactly one of `source: <src>.<table>` or `model: <model>`. */
const relation = {
  source: z.string().optional(),
  model: z.string().optional(),
};

const onSchema = z.record(z.string(), z.string());

/** `kind: enrich` — left-join each input onto the base relation. */
export const enrichModelSchema = z.strictObject({
  ...common,
  ...relation,
  kind: z.literal('enrich'),
  inputs: z
    .array(
      z.strictObject({
        input: z.string(),
        on: onSchema,
        /** Default: all non-key input columns. */
        columns: z.array(z.string()).optional(),
      }),
    )
    .min(1),
});

/** `kind: override` — input values replace base columns of the same name. */
export const overrideModelSchema = z.strictObject({
  ...common,
  ...relation,
  kind: z.literal('override'),
  input: z.string(),
  on: onSchema,
  /** Default: all non-key input columns. */
  columns: z.array(z.string()).optional(),
});

/** `kind: append` — base rows plus manually entered rows. */
export const appendModelSchema = z.strictObject({
  ...common,
  ...relation,
  kind: z.literal('append'),
  input: z.string(),
  /** Default: all input columns. */
  columns: z.array(z.string()).optional(),
});

/** `kind: sql` — a SQL select with `{{ ref() / source() / input() / var() }}` and macro calls. */
export const sqlModelSchema = z.strictObject({
  ...common,
  kind: z.literal('sql'),
  sql: z.string(),
});

/** `models/*.yml`: one merge model per YAML document. */
export const modelFileSchema = z.discriminatedUnion('kind', [enrichModelSchema, overrideModelSchema, appendModelSchema, sqlModelSchema]);

/** The parsed shape of a model document. */
export type ModelFile = z.infer<typeof modelFileSchema>;

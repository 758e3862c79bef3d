import { z } from 'zod';
import type { InputTable } from '../ir/types.js';
import { type ValueChecker, valueChecker } from '../rules/column-rules.js';
import type { Canonical } from '../rules/wire-values.js';
import type { ErrorDetail } from '../rules/outcome.js';

/** A row after the schema: canonical values of the columns it carries (absent ≠ null), and its base `_version`. */
export interface ParsedRow {
  values: Record<string, Canonical>;
  expectedVersion?: number;
}

/** The zod schema of one input row, built from the same IR declarations `validate` checks YAML with. */
export type RowSchema = z.ZodType<{ [column: string]: Canonical | number | undefined }>;

const cache = new WeakMap<InputTable, RowSchema>();

/** The strict zod schema of a row of `input` (cached per IR object): unknown fields are errors. */
export function rowSchema(input: InputTable): RowSchema {
  const cached = cache.get(input);
  if (cached) return cached;
  const shape: Record<string, z.ZodType<Canonical | number | undefined>> = {};
  for (const col of input.columns) {
    const check = valueChecker(col);
    shape[col.name] = z
      .unknown()
      .transform((value, ctx): Canonical => {
        const result = check(value);
        if (result.ok) return result.value;
        ctx.addIssue({ code: 'custom', message: result.message });
        return z.NEVER;
      })
      .optional();
  }
  shape._version = z
    .union([z.number().int().min(0), z.string().regex(/^\d+$/).transform(Number)], {
      error: '_version must be a non-negative integer (the version the row was read at; 0 = new row)',
    })
    .optional();
  const schema = z.strictObject(shape) as RowSchema;
  cache.set(input, schema);
  return schema;
}

interface FastShape {
  names: Set<string>;
  columns: string[];
  checks: ValueChecker[];
}

const fastCache = new WeakMap<InputTable, FastShape>();

/** The same checkers as the zod schema, without zod's per-field machinery: the fast path for valid rows. */
function fastParse(input: InputTable, row: Record<string, unknown>): ParsedRow | undefined {
  let fast = fastCache.get(input);
  if (!fast) {
    fast = { names: new Set(input.columns.map((c) => c.name)), columns: input.columns.map((c) => c.name), checks: input.columns.map((c) => valueChecker(c)) };
    fastCache.set(input, fast);
  }
  let expectedVersion: number | undefined;
  for (const k in row) {
    if (fast.names.has(k)) continue;
    if (k !== '_version') return undefined;
    const v = row[k];
    if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) expectedVersion = v;
    else if (v !== undefined) return undefined;
  }
  const values: Record<string, Canonical> = {};
  const { columns, checks } = fast;
  for (let i = 0; i < columns.length; i++) {
    const name = columns[i]!;
    // given = present (own or inherited, as before) and not undefined
    if (!(name in row)) continue;
    const given = row[name];
    if (given === undefined) continue;
    const result = checks[i]!(given);
    if (!result.ok) return undefined;
    values[name] = result.value;
  }
  return expectedVersion === undefined ? { values } : { values, expectedVersion };
}

/** A valid row parsed on the fast path, or undefined when it is not an object or any check fails (then call {@link parseRow} for the details). */
export function parseValidRow(input: InputTable, row: unknown): ParsedRow | undefined {
  if (row === null || typeof row !== 'object' || Array.isArray(row) || Object.hasOwn(row, '__proto__')) return undefined;
  return fastParse(input, row as Record<string, unknown>);
}

/**
 * Parse one row. Valid rows take a fast path built from the same column checkers; a row it
 * rejects is parsed by the zod schema, whose issues become details with the row index and column.
 */
export function parseRow(input: InputTable, row: unknown, index: number): { row?: ParsedRow; details: ErrorDetail[] } {
  if (row === null || typeof row !== 'object' || Array.isArray(row))
    return { details: [{ row: index, message: 'each row must be a JSON object' }] };
  // JSON.parse makes `__proto__` an own key, which the schema does not see: reject it like any unknown column
  if (Object.hasOwn(row, '__proto__')) return { details: [{ row: index, column: '__proto__', message: `unknown column '__proto__'` }] };
  const fast = fastParse(input, row as Record<string, unknown>);
  if (fast) return { row: fast, details: [] };
  return parseRowWithZod(input, row, index);
}

/** Parse one row with the zod schema (the reference path; also used for error details). */
export function parseRowWithZod(input: InputTable, row: object, index: number): { row?: ParsedRow; details: ErrorDetail[] } {
  const result = rowSchema(input).safeParse(row);
  if (!result.success) {
    const details: ErrorDetail[] = [];
    for (const issue of result.error.issues) {
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys)
          details.push({
            row: index,
            column: key,
            message: key.startsWith('_')
              ? `'${key}' is a system column and cannot be written (only _version is accepted)`
              : `unknown column '${key}' (${input.name} has: ${input.columns.map((c) => c.name).join(', ')})`,
          });
      } else {
        const column = issue.path.length > 0 ? String(issue.path[0]) : undefined;
        details.push({ row: index, ...(column !== undefined ? { column } : {}), message: issue.message });
      }
    }
    return { details };
  }
  const values: Record<string, Canonical> = {};
  let expectedVersion: number | undefined;
  for (const [k, v] of Object.entries(result.data)) {
    if (v === undefined) continue;
    if (k === '_version') expectedVersion = v as number;
    else values[k] = v as Canonical;
  }
  return { row: expectedVersion === undefined ? { values } : { values, expectedVersion }, details: [] };
}

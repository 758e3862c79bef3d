import type { Context } from 'hono';
import type { z } from 'zod';
import type { ErrorDetail } from '../rules/outcome.js';
import { apiError, type ApiFailure } from './api-error.js';
import { readJsonBody } from './read-json-body.js';

/** A checked request part, or the failure to send. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; failure: ApiFailure };

/** zod issues as error details (`column` names the field path). */
export function issueDetails(issues: z.core.$ZodIssue[]): ErrorDetail[] {
  return issues.map((i) => ({ ...(i.path.length ? { column: i.path.map(String).join('.') } : {}), message: i.message }));
}

/** Read the JSON body and check it against `schema` (400 `bad_request` listing every problem). */
export async function parseJsonBody<S extends z.ZodType>(c: Context, schema: S, limit: number): Promise<Parsed<z.output<S>>> {
  const body = await readJsonBody(c.req.raw, limit);
  if (!body.ok) return body;
  const checked = schema.safeParse(body.value);
  if (!checked.success) return { ok: false, failure: apiError('bad_request', 'request body does not match the expected shape', issueDetails(checked.error.issues)) };
  return { ok: true, value: checked.data };
}

/**
 * Check the query string against `schema`. Parameters named `<prefix>.<column>` (e.g. `key.account_id`)
 * are collected into `prefixed` instead; every other unknown parameter is a 400.
 */
export function parseQuery<S extends z.ZodType>(
  c: Context,
  schema: S,
  prefix?: string,
  repeatable = false,
): Parsed<{ query: z.output<S>; prefixed: Record<string, string | string[]> }> {
  const plain: Record<string, string> = {};
  const prefixed: Record<string, string | string[]> = {};
  const problems: ErrorDetail[] = [];
  const url = new URL(c.req.url);
  const lead = prefix === undefined ? undefined : `${prefix}.`;
  for (const [name, value] of url.searchParams) {
    const isPrefixed = lead !== undefined && name.startsWith(lead) && name.length > lead.length;
    const key = isPrefixed ? name.slice(lead.length) : name;
    const earlier = isPrefixed ? prefixed[key] : plain[key];
    if (earlier === undefined) (isPrefixed ? prefixed : plain)[key] = value;
    // a repeatable prefixed parameter given more than once lists its values (`filter.q=a&filter.q=b`)
    else if (isPrefixed && repeatable) prefixed[key] = [...(Array.isArray(earlier) ? earlier : [earlier]), value];
    else problems.push({ column: name, message: `query parameter '${name}' is given twice` });
  }
  const checked = schema.safeParse(plain);
  if (!checked.success) problems.push(...issueDetails(checked.error.issues));
  if (problems.length > 0 || !checked.success) return { ok: false, failure: apiError('bad_request', 'invalid query parameters', problems) };
  return { ok: true, value: { query: checked.data, prefixed } };
}

/** Send a failure as JSON with its status. */
export function sendFailure(c: Context, failure: ApiFailure): Response {
  return c.json(failure.body, failure.status as 400);
}

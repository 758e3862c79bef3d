import type { Context } from 'hono';
import type { z } from 'zod';
import type { ErrorDetail } from '../rules/outcome.js';
import { apiError, failureHeaders, type ApiFailure } from './api-error.js';
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

/** Query parameters named `<prefix>.<column>`, collected apart; `repeatable`: one given more than once lists its values. */
export interface PrefixedParams {
  prefix: string;
  repeatable?: boolean;
}

/**
 * Check the query string against `schema`. Parameters named `<prefix>.<column>` (e.g. `key.account_id`)
 * are collected into `prefixed` instead; every other unknown parameter is a 400, and so is a
 * parameter given twice, unless it is a repeatable prefixed one (`filter.q=a&filter.q=b`: both values).
 */
export function parseQuery<S extends z.ZodType>(
  c: Context,
  schema: S,
  prefixedParams?: PrefixedParams,
): Parsed<{ query: z.output<S>; prefixed: Record<string, string | string[]> }> {
  // no prototype: a parameter named `constructor` or `__proto__` is a name like any other
  const plain: Record<string, string> = Object.create(null);
  const prefixed: Record<string, string | string[]> = Object.create(null);
  const problems: ErrorDetail[] = [];
  const url = new URL(c.req.url);
  const lead = prefixedParams === undefined ? undefined : `${prefixedParams.prefix}.`;
  for (const [name, value] of url.searchParams) {
    if (lead !== undefined && name.startsWith(lead) && name.length > lead.length) {
      const key = name.slice(lead.length);
      const earlier = prefixed[key];
      if (earlier === undefined) prefixed[key] = value;
      else if (!prefixedParams?.repeatable) problems.push({ column: name, message: `query parameter '${name}' is given twice` });
      else if (Array.isArray(earlier)) earlier.push(value);
      else prefixed[key] = [earlier, value];
      continue;
    }
    if (plain[name] !== undefined) problems.push({ column: name, message: `query parameter '${name}' is given twice` });
    plain[name] = value;
  }
  const checked = schema.safeParse({ ...plain });
  if (!checked.success) problems.push(...issueDetails(checked.error.issues));
  if (problems.length > 0 || !checked.success) return { ok: false, failure: apiError('bad_request', 'invalid query parameters', problems) };
  return { ok: true, value: { query: checked.data, prefixed: { ...prefixed } } };
}

/** Send a failure as JSON with its status. */
export function sendFailure(c: Context, failure: ApiFailure): Response {
  return c.json(failure.body, failure.status as 400, failureHeaders(failure));
}

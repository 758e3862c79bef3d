import type { Context } from 'hono';
import { confirmationRequired } from '../rules/confirmation.js';
import type { Actor } from '../auth/actor.js';
import type { WireRow, WriteResult } from '../write/types.js';
import type { HttpLibrary } from '../http/library.js';
import { apiError, fromWriteError, type ApiErrorCode, type ApiFailure } from '../http/api-error.js';
import { sendFailure } from '../http/parse-request.js';

/** What a write through the write path can answer besides the generic codes. */
export const WRITE_ERRORS: ApiErrorCode[] = ['forbidden', 'not_found', 'conflict', 'validation_failed', 'idempotency_key_reused', 'confirmation_required'];

/** A write or delete as the routes hand it to the library. */
export interface BulkRequest {
  op: 'write' | 'delete';
  table: string;
  rows: WireRow[];
  actor: Actor;
  scenario?: string | undefined;
  comment?: string | undefined;
  dryRun?: boolean | undefined;
  confirm?: boolean | undefined;
}

/** Settings shared by the user and the admin write routes. */
export interface BulkSettings {
  confirmThreshold: number;
  onWrite?: ((table: string) => void) | undefined;
}

/** The `Idempotency-Key` header as the OpenAPI document describes it. */
export const IDEMPOTENCY_HEADER = {
  name: 'Idempotency-Key',
  description: "Retrying with the same key returns the first result and writes nothing twice. 1 to 200 visible ASCII characters.",
  schema: { type: 'string', pattern: '^[\\x21-\\x7e]{1,200}$' },
};

/** `Idempotency-Key`: at most 200 visible ASCII characters. */
export function idempotencyKey(c: Context): { ok: true; value: string | undefined } | { ok: false; failure: ApiFailure } {
  const key = c.req.header('idempotency-key');
  if (key === undefined) return { ok: true, value: undefined };
  if (!/^[\x21-\x7e]{1,200}$/.test(key)) {
    return { ok: false, failure: apiError('bad_request', 'Idempotency-Key must be 1 to 200 visible ASCII characters') };
  }
  return { ok: true, value: key };
}

/** The wire shape of a successful write. */
export function writeResponse(result: Extract<WriteResult, { ok: true }>) {
  return {
    entries: result.entries.map((e) => ({ entry_id: e.entryId, key: e.key, version: e.version, op: e.op })),
    at: result.at,
    replayed: result.replayed,
    dry_run: result.dryRun,
    // the write needs approval and was recorded as a pending change (HTTP 202)
    ...(result.pending ? { pending: result.pending } : {}),
    ...(result.needsApproval ? { needs_approval: true } : {}),
  };
}

/** The bulk-confirmation rule (src/rules/confirmation.ts) in the API's words. */
export function confirmationFailure(count: number, verb: string, body: { confirm?: boolean | undefined; dry_run?: boolean | undefined }, settings: BulkSettings): ApiFailure | undefined {
  const refused = confirmationRequired(count, verb, { confirm: body.confirm, dryRun: body.dry_run }, settings.confirmThreshold, { confirm: '"confirm": true', dryRun: '"dry_run": true' });
  return refused ? fromWriteError(refused) : undefined;
}

/** Send a write's result: 200, or 202 when it became a pending change; `extra` fields are added to a success. */
export function sendWriteResult(c: Context, result: WriteResult, table: string, settings: BulkSettings, extra: Record<string, unknown> = {}): Response {
  if (!result.ok) return sendFailure(c, fromWriteError(result.error));
  if (!result.dryRun && !result.replayed) settings.onWrite?.(table); // a pending change is in `<t>__pending` too
  return c.json({ ...writeResponse(result), ...extra }, result.pending ? 202 : 200);
}

/** Run a write or delete: confirmation rule, idempotency key, library call, snapshot notification. */
export async function runBulk(c: Context, wb: HttpLibrary, req: BulkRequest, settings: BulkSettings): Promise<Response> {
  const key = idempotencyKey(c);
  if (!key.ok) return sendFailure(c, key.failure);
  const refused = confirmationFailure(req.rows.length, req.op === 'delete' ? 'deleting' : 'writing', { confirm: req.confirm, dry_run: req.dryRun }, settings);
  if (refused) return sendFailure(c, refused);
  const opts = {
    user: req.actor.user,
    ...(req.actor.role !== undefined ? { role: req.actor.role } : {}),
    ...(req.actor.attributes !== undefined ? { attributes: req.actor.attributes } : {}),
    ...(req.scenario !== undefined ? { scenario: req.scenario } : {}),
    ...(req.comment !== undefined ? { comment: req.comment } : {}),
    ...(key.value !== undefined ? { requestId: key.value } : {}),
    ...(req.dryRun ? { dryRun: true } : {}),
  };
  const result = req.op === 'write' ? await wb.inputs.write(req.table, req.rows, opts) : await wb.inputs.delete(req.table, req.rows, opts);
  return sendWriteResult(c, result, req.table, settings);
}

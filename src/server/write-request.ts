import type { Context } from 'hono';
import type { Actor, WireRow, WriteResult } from '../write/types.js';
import type { ServerLibrary } from './library.js';
import { apiError, fromWriteError, type ApiFailure } from './api-error.js';
import { sendFailure } from './parse-request.js';

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
  };
}

/** Run a write or delete: confirmation rule, idempotency key, library call, snapshot notification. */
export async function runBulk(c: Context, wb: ServerLibrary, req: BulkRequest, settings: BulkSettings): Promise<Response> {
  const key = idempotencyKey(c);
  if (!key.ok) return sendFailure(c, key.failure);
  if (req.rows.length > settings.confirmThreshold && !req.confirm && !req.dryRun) {
    const what = req.op === 'delete' ? 'deleting' : 'writing';
    return sendFailure(
      c,
      apiError(
        'confirmation_required',
        `${what} ${req.rows.length} rows at once needs "confirm": true (or "dry_run": true to see what would change); the limit without confirmation is ${settings.confirmThreshold}`,
      ),
    );
  }
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
  if (!result.ok) return sendFailure(c, fromWriteError(result.error));
  if (!result.dryRun && !result.replayed) settings.onWrite?.(req.table);
  return c.json(writeResponse(result), 200);
}

import type { Adapter, SqlValue } from '../adapters/adapter.js';
import type { Actor } from '../auth/actor.js';
import { onInputRows, rowScope } from '../auth/row-filter.js';
import type { InputTable } from '../ir/types.js';
import type { WriteContext } from '../write/write-context.js';
import type { SqlNames } from '../managed/sql-names.js';
import { uuidv7 } from '../write/uuid-v7.js';
import { WEBHOOK_CALLS_TABLE } from '../managed/names.js';
import { META_TABLES } from '../managed/meta-tables.js';
import { isoFromDb } from '../rules/wire-values.js';
import { typed } from '../dialects/sql-value.js';

const INTEGER = { kind: 'system', type: 'integer' } as const;

/** The outcome of an action's webhook after its retries (also stored in `_wb_webhook_calls`). */
export interface WebhookOutcome {
  callId: string;
  status: 'ok' | 'failed';
  attempts: number;
  httpStatus: number | null;
  error: string | null;
}

/** What is posted (JSON) to the webhook. */
export interface WebhookPayload {
  table: string;
  action: string;
  user: string;
  keys: Record<string, unknown>[];
  entry_ids: string[];
  at: string;
  comment: string | null;
}

/** The columns of `_wb_webhook_calls`, from the catalog (in the order the insert binds them). */
const CALL_COLUMNS = META_TABLES.find((t) => t.name === WEBHOOK_CALLS_TABLE)!.columns;

/** Per-attempt timeout and the first retry delay (doubles each retry). */
const TIMEOUT_MS = 5000;
const FIRST_DELAY_MS = 100;

/**
 * POST the payload to `url`, retrying `retries` times on a non-2xx answer or a network error,
 * then record the outcome. Called only after the write committed: a failure is logged, never
 * thrown, and never undoes the write.
 */
export async function callWebhook(
  writer: Adapter,
  names: SqlNames,
  hook: { url: string; retries: number },
  payload: WebhookPayload,
): Promise<WebhookOutcome> {
  const started = new Date(Date.now());
  let attempts = 0;
  let httpStatus: number | null = null;
  let error: string | null = null;
  let ok = false;
  for (let i = 0; i <= hook.retries && !ok; i++) {
    if (i > 0) await new Promise((r) => setTimeout(r, FIRST_DELAY_MS * 2 ** (i - 1)));
    attempts++;
    try {
      const res = await fetch(hook.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'writeback-webhook' },
        body: JSON.stringify(payload),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      httpStatus = res.status;
      await res.arrayBuffer().catch(() => undefined);
      ok = res.ok;
      error = ok ? null : `HTTP ${res.status}`;
    } catch (err) {
      httpStatus = null;
      error = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    }
  }
  const outcome: WebhookOutcome = { callId: uuidv7(), status: ok ? 'ok' : 'failed', attempts, httpStatus, error };
  const d = names.dialect;
  // each value cast to its column's type and the integers bound typed: BigQuery binds an untyped NULL as STRING
  const values = CALL_COLUMNS.map((c, i) => `cast(${d.param(i + 1)} as ${d.columnType(c.type)})`);
  try {
    await writer.execute(
      `insert into ${names.meta(WEBHOOK_CALLS_TABLE)} (${CALL_COLUMNS.map((c) => d.quoteIdent(c.name)).join(', ')}) values (${values.join(', ')})`,
      [outcome.callId, payload.table, payload.action, hook.url, payload.user, JSON.stringify(payload.entry_ids), outcome.status, typed(INTEGER, attempts), typed(INTEGER, httpStatus), error, started, new Date(Date.now())],
    );
  } catch (err) {
    // the write is committed; losing the call record must not turn it into a failure
    outcome.error = `${outcome.error ?? ''} (could not record the call: ${err instanceof Error ? err.message : String(err)})`.trim();
  }
  return outcome;
}

/**
 * Recorded webhook calls of a table (newest last) that `reader` may see: a call whose log entries
 * are not all in the reader's row scope is left out (its keys, users and times stay private).
 */
export async function listWebhookCalls(ctx: WriteContext, input: InputTable, reader: Actor | undefined): Promise<Record<string, unknown>[]> {
  const { names } = ctx;
  const d = names.dialect;
  const q = (c: string) => d.quoteIdent(c);
  const rows = await ctx.reader.query(
    `select ${CALL_COLUMNS.map((c) => q(c.name)).join(', ')} from ${names.meta(WEBHOOK_CALLS_TABLE)} where ${q('table_name')} = ${d.param(1)} order by ${q('created_at')}, ${q('call_id')}`,
    [input.name],
  );
  const calls = rows.map((r) => ({
    call_id: String(r.call_id),
    action: String(r.action),
    url: String(r.url),
    user: String(r.user_name),
    entry_ids: JSON.parse(String(r.entry_ids)) as string[],
    status: String(r.status),
    attempts: Number(r.attempts),
    http_status: r.http_status == null ? null : Number(r.http_status),
    error: r.error == null ? null : String(r.error),
    created_at: isoFromDb(r.created_at),
    finished_at: isoFromDb(r.finished_at),
  }));
  const scope = rowScope(input, reader);
  if (scope.unrestricted || calls.length === 0) return calls;
  const ids = [...new Set(calls.flatMap((c) => c.entry_ids))];
  const visible = new Set<string>();
  for (let start = 0; start < ids.length; start += 500) {
    const params: SqlValue[] = ids.slice(start, start + 500);
    const list = params.map((_, i) => d.param(i + 1)).join(', ');
    const where = scope.where(d, params, onInputRows(input, names, 'l')) ?? ['1 = 0'];
    const found = await ctx.reader.query(`select l.${d.quoteIdent('_entry_id')} as id from ${names.log(input.name)} l where l.${d.quoteIdent('_entry_id')} in (${list}) and ${where.join(' and ')}`, params);
    for (const f of found) visible.add(String(f.id));
  }
  return calls.filter((c) => c.entry_ids.every((id) => visible.has(id)));
}

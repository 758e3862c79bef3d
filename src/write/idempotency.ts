import { createHash } from 'node:crypto';
import type { Adapter, SqlValue } from '../adapters/adapter.js';
import { IDEMPOTENCY_TABLE } from '../managed/names.js';
import type { SqlNames } from '../managed/sql-names.js';
import type { WriteResult } from './types.js';

/** JSON with object keys sorted, so equal payloads give equal text. */
export function stableStringify(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
}

/** sha256 of what makes two requests "the same": table, operation, scenario, user, comment and rows. */
export function payloadHash(parts: { table: string; op: string; scenario: string; user: string; comment: string | null; rows: unknown }): string {
  return createHash('sha256').update(stableStringify(parts)).digest('hex');
}

/**
 * The stored form of an idempotency key: keys are scoped to the user who sends them, so two users
 * choosing the same key name two different requests and never see (or block) each other's.
 */
export function scopedIdempotencyKey(user: string, requestId: string): string {
  return JSON.stringify([user, requestId]);
}

/** A stored idempotency record. */
export interface IdempotencyRecord {
  requestId: string;
  payloadHash: string;
  result: WriteResult;
}

/** Request ids looked up per query. */
const ID_CHUNK = 1000;

/** The stored records of these request ids. */
export async function findIdempotency(adapter: Adapter, names: SqlNames, requestIds: string[]): Promise<Map<string, IdempotencyRecord>> {
  const found = new Map<string, IdempotencyRecord>();
  if (requestIds.length === 0) return found;
  const d = names.dialect;
  const unique = [...new Set(requestIds)];
  // chunked: a group may carry tens of thousands of ids (BigQuery takes ≤ 10,000 parameters, Postgres ≤ 65,535)
  for (let start = 0; start < unique.length; start += ID_CHUNK) {
    const params: SqlValue[] = unique.slice(start, start + ID_CHUNK);
    const list = params.map((_, i) => d.param(i + 1)).join(', ');
    const rows = await adapter.query<{ request_id: string; payload_hash: string; result: string }>(
      `select request_id, payload_hash, result from ${names.meta(IDEMPOTENCY_TABLE)} where request_id in (${list})`,
      params,
    );
    for (const r of rows)
      found.set(r.request_id, { requestId: r.request_id, payloadHash: r.payload_hash, result: JSON.parse(r.result) as WriteResult });
  }
  return found;
}

/** The answer to a request whose id is already recorded: the first result, or `idempotency_key_reused`. */
export function replayOrReject(record: IdempotencyRecord, hash: string, requestId: string): WriteResult {
  if (record.payloadHash !== hash)
    return {
      ok: false,
      error: {
        code: 'idempotency_key_reused',
        message: `request id '${requestId}' was already used by you for a different request; use a new id for new data`,
        details: [],
      },
    };
  return record.result.ok ? { ...record.result, replayed: true } : record.result;
}

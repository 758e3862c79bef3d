import { createHash } from 'node:crypto';
import type { Adapter, SqlValue } from '../adapters/adapter.js';
import { IDEMPOTENCY_TABLE } from '../managed/names.js';
import type { SqlNames } from '../managed/sql-names.js';
import type { Project } from '../ir/types.js';
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

/** Days idempotency records are kept when project.yml sets no `idempotency_retention_days`. */
export const DEFAULT_IDEMPOTENCY_RETENTION_DAYS = 7;

/** The project's retention: `idempotency_retention_days` in project.yml, else the default. */
export function idempotencyRetentionDays(project: Pick<Project, 'idempotencyRetentionDays'>): number {
  return project.idempotencyRetentionDays ?? DEFAULT_IDEMPOTENCY_RETENTION_DAYS;
}

/**
 * Delete the idempotency records older than the retention (`now` − days): a retry with such a key
 * is then a new request. Returns how many were deleted. One statement outside any write
 * transaction: on warehouses where DELETE locks the table (Snowflake) it waits like any writer.
 */
export async function pruneIdempotency(adapter: Adapter, names: SqlNames, retentionDays: number, now: Date): Promise<number> {
  const before = new Date(now.getTime() - retentionDays * 86_400_000);
  return adapter.execute(`delete from ${names.meta(IDEMPOTENCY_TABLE)} where ${names.id('created_at')} < ${names.dialect.param(1)}`, [before]);
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
      `select ${['request_id', 'payload_hash', 'result'].map(names.id).join(', ')} from ${names.meta(IDEMPOTENCY_TABLE)} where ${names.id('request_id')} in (${list})`,
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

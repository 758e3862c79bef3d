import type { ManagedColumn, MetaTable, SystemType } from '../managed/tables.js';

/** Shared managed tables of the write path (in the inputs schema, created by plan/apply). */

const col = (name: string, type: SystemType, nullable: boolean, description: string): ManagedColumn => ({
  name,
  type: { kind: 'system', type },
  nullable,
  description,
});

export const CHAIN_HEADS_TABLE = '_wb_chain_heads';
export const IDEMPOTENCY_TABLE = '_wb_idempotency';
export const TOKENS_TABLE = '_wb_tokens';

/** One row per input table: the head of its log's hash chain, advanced by compare-and-swap in each write transaction. */
export const CHAIN_HEADS_COLUMNS: ManagedColumn[] = [
  col('table_name', 'string', false, 'Input table name.'),
  col('seq', 'bigint', false, '`_seq` of the latest log entry (0 before the first write).'),
  col('head', 'string', false, '`_hash` of the latest log entry (empty before the first write).'),
  col('updated_at', 'timestamp', false, 'When the head last moved (UTC).'),
];

/** One row per successful request that carried a request id: a retry returns `result` and writes nothing. */
export const IDEMPOTENCY_COLUMNS: ManagedColumn[] = [
  col('request_id', 'string', false, 'The idempotency key (HTTP `Idempotency-Key`, library `requestId`).'),
  col('table_name', 'string', false, 'Input table the request wrote.'),
  col('payload_hash', 'string', false, 'sha256 of the canonical request (table, operation, scenario, user, rows).'),
  col('user_name', 'string', false, 'Who sent it.'),
  col('result', 'string', false, 'JSON text of the result returned the first time.'),
  col('created_at', 'timestamp', false, 'When it was first written (UTC).'),
];

/** API tokens: only the sha256 of the secret is stored. */
export const TOKENS_COLUMNS: ManagedColumn[] = [
  col('token_id', 'string', false, 'Public id of the token (shown by `token list`, used by `token revoke`).'),
  col('token_hash', 'string', false, 'sha256 (hex) of the secret token.'),
  col('user_name', 'string', false, 'User the token signs in as.'),
  col('role', 'string', false, 'Role declared in project.yml.'),
  col('attributes', 'string', false, 'JSON text: the user attributes used by row filters.'),
  col('created_at', 'timestamp', false, 'When it was created (UTC).'),
  col('created_by', 'string', false, 'Who created it.'),
  col('revoked_at', 'timestamp', true, 'When it was revoked (UTC); null while valid.'),
];

/** Every meta table of the write path (appended to `META_TABLES`, so plan/apply create them). */
export const WRITE_META_TABLES: MetaTable[] = [
  { name: CHAIN_HEADS_TABLE, columns: CHAIN_HEADS_COLUMNS, primaryKey: ['table_name'], description: 'Hash-chain head per input table (advanced by compare-and-swap).' },
  { name: IDEMPOTENCY_TABLE, columns: IDEMPOTENCY_COLUMNS, primaryKey: ['request_id'], description: 'Results of requests by idempotency key.' },
  { name: TOKENS_TABLE, columns: TOKENS_COLUMNS, primaryKey: ['token_id'], description: 'API tokens (sha256 hashes only).' },
];

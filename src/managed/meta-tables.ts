import { type ManagedColumn, type MetaTable, type SystemType, systemColumn as col } from './columns.js';
import {
  IDEMPOTENCY_TABLE,
  MODEL_VERSIONS_TABLE,
  PENDING_TABLE,
  SCENARIO_PATHS_TABLE,
  SCENARIOS_TABLE,
  SEEDS_TABLE,
  SESSIONS_TABLE,
  TOKENS_TABLE,
  USERS_TABLE,
  WEBHOOK_CALLS_TABLE,
  CHAIN_HEADS_TABLE,
} from './names.js';
import type { Dialect } from '../dialects/dialect.js';
import { CHAIN_HEAD_NAME_COLUMN } from './chain-head-row.js';

const sys = (type: SystemType) => ({ kind: 'system' as const, type });

/**
 * The head of an input's hash chain, created by `apply` (from the log's last entry) and advanced by
 * compare-and-swap in each write transaction: the one row of the input's `<t>__head` table, or its
 * row of `_wb_heads` (with `table_name`) where the dialect shares one table (`Dialect.chainHeads`).
 * Either way writers of different inputs never wait on each other's head.
 */
export const CHAIN_HEAD_COLUMNS: ManagedColumn[] = [
  col('seq', 'bigint', false, '`_seq` of the latest log entry (0 before the first write).'),
  col('head', 'string', false, '`_hash` of the latest log entry (empty before the first write).'),
  col('updated_at', 'timestamp', false, 'When the head last moved (UTC).'),
];

/** One row per successful request that carried a request id: a retry returns `result` and writes nothing. */
export const IDEMPOTENCY_COLUMNS: ManagedColumn[] = [
  col('request_id', 'string', false, 'The idempotency key (HTTP `Idempotency-Key`, library `requestId`) scoped to its caller: JSON text `[user, key]`.'),
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
  col('kind', 'string', true, '`service` (created with `writeback token create`) or `personal` (created by a signed-in user for their scripts); null = `service` (tokens of earlier versions).'),
  col('name', 'string', true, 'What the token is for (required for personal tokens).'),
  col('expires_at', 'timestamp', true, 'When it stops signing in (UTC); null = never.'),
  col('last_used_at', 'timestamp', true, 'When it last signed a request in (UTC, updated at most once a minute); null = never used.'),
];

/** The users directory: one row per person who signed in through the identity provider. */
export const USERS_COLUMNS: ManagedColumn[] = [
  col('user_name', 'string', false, 'Stable user id `<issuer>#<subject>` (what the log records as `_user`).'),
  col('issuer', 'string', false, 'Identity provider (OpenID issuer or proxy assertion issuer).'),
  col('subject', 'string', false, 'Subject the provider gives the person.'),
  col('display_name', 'string', true, 'Display name as the provider last sent it.'),
  col('email', 'string', true, 'E-mail address as the provider last sent it.'),
  col('first_seen_at', 'timestamp', false, 'First sign-in (UTC).'),
  col('last_seen_at', 'timestamp', false, 'Latest sign-in (UTC).'),
];

/** Browser sessions: only the sha256 of the cookie's secret is stored. */
export const SESSIONS_COLUMNS: ManagedColumn[] = [
  col('session_hash', 'string', false, 'sha256 (hex) of the secret in the session cookie.'),
  col('user_name', 'string', false, 'Stable user id `<issuer>#<subject>` (recorded as `_user`).'),
  col('display_name', 'string', true, 'Display name the identity provider sent at sign-in.'),
  col('email', 'string', true, 'E-mail address the identity provider sent at sign-in.'),
  col('role', 'string', false, 'Role from the claims (declared in project.yml).'),
  col('attributes', 'string', false, 'JSON text: the user attributes from the claims, used by row filters.'),
  col('issuer', 'string', false, 'Identity provider (OpenID Connect issuer).'),
  col('subject', 'string', false, 'Subject the issuer gives the user.'),
  col('created_at', 'timestamp', false, 'Sign-in time (UTC).'),
  col('last_seen_at', 'timestamp', false, 'Last request (UTC, moved at most once a minute): the idle timeout counts from it.'),
  col('expires_at', 'timestamp', false, 'Absolute end of the session (UTC).'),
  col('revoked_at', 'timestamp', true, 'Sign-out time (UTC); null while the session is open.'),
];

/** The compiler's tables: model versions and seeds. */
export const COMPILE_META_TABLES: MetaTable[] = [
  {
    name: MODEL_VERSIONS_TABLE,
    description: 'One row per applied version of a merge model (the view `<model>__v<version>`).',
    primaryKey: ['model', 'version'],
    columns: [
      { name: 'model', type: sys('string'), nullable: false, description: 'Model name.' },
      { name: 'version', type: sys('integer'), nullable: false, description: 'Version number (1, 2, …).' },
      { name: 'fingerprint', type: sys('string'), nullable: false, description: 'sha256 of the normalized definition and its upstream fingerprints.' },
      { name: 'sql', type: sys('string'), nullable: false, description: 'The select statement of the version view.' },
      { name: 'applied_at', type: sys('timestamp'), nullable: false, description: 'When the version was created (UTC).' },
      { name: 'applied_by', type: sys('string'), nullable: false, description: 'Who ran `apply`.' },
    ],
  },
  {
    name: SEEDS_TABLE,
    description: 'One row per loaded CSV seed, to reload only changed files.',
    primaryKey: ['file'],
    columns: [
      { name: 'file', type: sys('string'), nullable: false, description: 'Seed path relative to the project directory.' },
      { name: 'schema', type: sys('string'), nullable: false, description: 'Schema of the table it fills.' },
      { name: 'table', type: sys('string'), nullable: false, description: 'Table it fills.' },
      { name: 'fingerprint', type: sys('string'), nullable: false, description: 'sha256 of the file content.' },
      { name: 'loaded_at', type: sys('timestamp'), nullable: false, description: 'When it was loaded (UTC).' },
    ],
  },
];

/** The write path's shared tables: idempotency records, tokens, browser sessions, the users directory (chain heads: see `metaTablesOf`). */
export const WRITE_META_TABLES: MetaTable[] = [
  { name: IDEMPOTENCY_TABLE, columns: IDEMPOTENCY_COLUMNS, primaryKey: ['request_id'], description: 'Results of requests by idempotency key.' },
  { name: TOKENS_TABLE, columns: TOKENS_COLUMNS, primaryKey: ['token_id'], description: 'API tokens (sha256 hashes only).' },
  { name: SESSIONS_TABLE, columns: SESSIONS_COLUMNS, primaryKey: ['session_hash'], description: 'Browser sessions of OpenID Connect sign-in (sha256 hashes of the cookie secret only).' },
  { name: USERS_TABLE, columns: USERS_COLUMNS, primaryKey: ['user_name'], description: 'People who signed in through the identity provider: display name and e-mail by stable id.' },
];

/** The planning workflows' tables: scenarios, their closure, pending changes, webhook calls. */
export const WORKFLOW_META_TABLES: MetaTable[] = [
  {
    name: SCENARIOS_TABLE,
    readByViews: true,
    description: 'One row per scenario (besides the implicit `base`): its parent, who created it and when, and whether it is archived.',
    primaryKey: ['name'],
    columns: [
      col('name', 'string', false, 'Scenario name.'),
      col('parent', 'string', false, 'Scenario it falls back to (`base` or another scenario).'),
      col('description', 'string', true, 'Free text.'),
      col('created_by', 'string', false, 'Who created it.'),
      col('created_at', 'timestamp', false, 'When (UTC).'),
      col('archived_by', 'string', true, 'Who archived it; null while active.'),
      col('archived_at', 'timestamp', true, 'When it was archived (UTC); null while active.'),
    ],
  },
  {
    name: SCENARIO_PATHS_TABLE,
    readByViews: true,
    description: 'Closure of the scenario tree: every scenario with each ancestor and its distance (0 = itself; `base` is the last ancestor). Merge views read it.',
    primaryKey: ['scenario', 'ancestor'],
    columns: [
      col('scenario', 'string', false, 'Scenario.'),
      col('ancestor', 'string', false, 'The scenario itself or one of its ancestors.'),
      col('depth', 'integer', false, '0 for itself, 1 for its parent, …'),
    ],
  },
  {
    name: PENDING_TABLE,
    readByViews: true,
    description: 'Writes waiting for approval (pending changes) and their decisions: an index over the log, where proposals, approvals and rejections are entries of the hash chain. A pending change is not in the state until approved.',
    primaryKey: ['pending_id'],
    columns: [
      col('pending_id', 'string', false, 'Id (UUIDv7) of the pending change.'),
      col('table_name', 'string', false, 'Input table.'),
      col('scenario', 'string', false, 'Scenario written.'),
      col('op', 'string', false, '`upsert` or `delete`.'),
      col('rows', 'string', false, 'JSON text: the rows as sent (wire shape).'),
      col('versions', 'string', false, 'JSON text: the `_version` of each row when proposed (approving a row that moved on since is a conflict).'),
      col('row_count', 'integer', false, 'Number of rows.'),
      col('proposed_by', 'string', false, 'Who wrote it.'),
      col('proposed_role', 'string', true, 'Their role (null = administrator).'),
      col('proposed_attributes', 'string', false, 'JSON text: their user attributes (row filters apply again on approval).'),
      col('proposed_at', 'timestamp', false, 'When (UTC).'),
      col('comment', 'string', true, 'Comment of the write.'),
      col('status', 'string', false, '`pending`, `approved` or `rejected`.'),
      col('decided_by', 'string', true, 'Who approved or rejected it.'),
      col('decided_at', 'timestamp', true, 'When (UTC).'),
      col('decision_comment', 'string', true, 'The reviewer\'s comment.'),
      col('entry_ids', 'string', true, 'JSON text: log entry ids of the decision (the applied `upsert`/`delete` entries, or the `reject` entries).'),
      col('request_id', 'string', true, 'Idempotency key of the proposing request: a retry returns the same pending change.'),
      col('proposal_entry_ids', 'string', true, 'JSON text: log entry ids of the proposal (`propose_upsert`/`propose_delete`); `pending_id` is the first.'),
    ],
  },
  {
    name: WEBHOOK_CALLS_TABLE,
    description: 'One row per action webhook call after a committed write: the outcome after retries (a failure never undoes the write).',
    primaryKey: ['call_id'],
    columns: [
      col('call_id', 'string', false, 'Id (UUIDv7).'),
      col('table_name', 'string', false, 'Input table.'),
      col('action', 'string', false, 'Action name.'),
      col('url', 'string', false, 'URL called (from the YAML).'),
      col('user_name', 'string', false, 'Who ran the action.'),
      col('entry_ids', 'string', false, 'JSON text: log entries the action wrote.'),
      col('status', 'string', false, '`ok` or `failed`.'),
      col('attempts', 'integer', false, 'Attempts made.'),
      col('http_status', 'integer', true, 'HTTP status of the last attempt (null when it did not answer).'),
      col('error', 'string', true, 'Why the last attempt failed.'),
      col('created_at', 'timestamp', false, 'When the first attempt started (UTC).'),
      col('finished_at', 'timestamp', false, 'When the last attempt ended (UTC).'),
    ],
  },
];

/** Every shared managed table (`_wb_*` in the inputs schema); plan/apply create them all. */
export const META_TABLES: MetaTable[] = [...COMPILE_META_TABLES, ...WRITE_META_TABLES, ...WORKFLOW_META_TABLES];

/** `_wb_heads`, on dialects whose inputs share one chain-head table (`Dialect.chainHeads: 'shared'`). */
export const CHAIN_HEADS_META_TABLE: MetaTable = {
  name: CHAIN_HEADS_TABLE,
  columns: [col(CHAIN_HEAD_NAME_COLUMN, 'string', false, 'Input table whose log this is the head of.'), ...CHAIN_HEAD_COLUMNS],
  primaryKey: [CHAIN_HEAD_NAME_COLUMN],
  description: "The head of each input table's hash chain (DuckDB; other warehouses keep each in the input's own `<t>__head`).",
};

/** The shared `_wb_*` tables `apply` creates on a dialect. */
export function metaTablesOf(dialect: Pick<Dialect, 'chainHeads'>): MetaTable[] {
  return dialect.chainHeads === 'shared' ? [...META_TABLES, CHAIN_HEADS_META_TABLE] : META_TABLES;
}

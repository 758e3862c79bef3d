import type { ManagedColumn, MetaTable, SystemType } from '../managed/tables.js';

/** Managed tables of the planning workflows (scenarios, approvals, action webhooks); appended to `META_TABLES`. */

const col = (name: string, type: SystemType, nullable: boolean, description: string): ManagedColumn => ({
  name,
  type: { kind: 'system', type },
  nullable,
  description,
});

export const SCENARIOS_TABLE = '_wb_scenarios';
export const SCENARIO_PATHS_TABLE = '_wb_scenario_paths';
export const PENDING_TABLE = '_wb_pending';
export const WEBHOOK_CALLS_TABLE = '_wb_webhook_calls';

/** Every workflow meta table (plan/apply create them like the others). */
export const WORKFLOW_META_TABLES: MetaTable[] = [
  {
    name: SCENARIOS_TABLE,
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

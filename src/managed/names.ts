/**
 * The name of every object writeback manages in the warehouse: one definition each, imported by
 * the compiler (DDL, views, plan) and the runtime (write path, workflows, reads) alike.
 * User names match ^[a-z][a-z0-9_]*$ without `__` and never start with `_`, so none of these can
 * collide with a user's table or view.
 */

/** `<t>__log`: the append-only log of an input table (inputs schema). */
export const logTableName = (input: string): string => `${input}__log`;
/** The input a table name is the log of (`orders` for `orders__log`), or undefined; archived logs are no input's. */
export function inputOfLog(table: string): string | undefined {
  const m = /^([a-z][a-z0-9_]*)__log$/.exec(table);
  return m && !m[1]!.includes('__') && logTableName(m[1]!) === table ? m[1] : undefined;
}
/** `<t>`: the current state of an input table (inputs schema). */
export const stateTableName = (input: string): string => input;
/** `<t>__head`: the one-row head of an input's hash chain, advanced by compare-and-swap in each write (inputs schema; dialects with `chainHeads: 'per-input'`). */
export const chainHeadTableName = (input: string): string => `${input}__head`;
/** The input a table name is the hash-chain head of (`orders` for `orders__head`), or undefined. */
export function inputOfChainHead(table: string): string | undefined {
  const m = /^([a-z][a-z0-9_]*)__head$/.exec(table);
  return m && !m[1]!.includes('__') && chainHeadTableName(m[1]!) === table ? m[1] : undefined;
}
/** `<t>__history`: one row per changed column of every state-changing entry (views schema). */
export const historyViewName = (input: string): string => `${input}__history`;
/** `<t>__pending`: changes of an input table waiting for approval (views schema). */
export const pendingViewName = (input: string): string => `${input}__pending`;
/** `<model>__by_scenario`: a model once per active scenario, with `_scenario` (views schema). */
export const byScenarioViewName = (model: string): string => `${model}__by_scenario`;
/** `<model>__v<N>`: one immutable version of a model (views schema). */
export const versionViewName = (model: string, version: number): string => `${model}__v${version}`;

/** The name of an input's archived log, stamped in UTC: `<t>__log__archived_20261130_010203`. */
export function archiveLogName(input: string, at: Date): string {
  const stamp = at.toISOString().replace(/[-:]/g, '').replace('T', '_').slice(0, 15);
  return `${input}__log__archived_${stamp}`;
}

/** The input a table name is an archived log of (`orders` for `orders__log__archived_20261130_010203`), or undefined. */
export function inputOfArchivedLog(table: string): string | undefined {
  const m = /^([a-z][a-z0-9_]*)__log__archived_\d{8}_\d{6}$/.exec(table);
  return m && !m[1]!.includes('__') ? m[1] : undefined;
}

/** True for the name of a shared managed table (`_wb_…`, in the inputs schema). */
export const isMetaTableName = (table: string): boolean => table.startsWith('_wb_');

/** Applied model versions (one row per `<model>__v<N>`). */
export const MODEL_VERSIONS_TABLE = '_wb_model_versions';
/** Loaded CSV seeds. */
export const SEEDS_TABLE = '_wb_seeds';
/**
 * The one table that held every input's chain head in earlier versions: writers of different
 * inputs queued on it (Snowflake and BigQuery lock or abort per table). `apply` replaces it with
 * one `<t>__head` per input, seeded from the log, then drops it.
 */
export const LEGACY_CHAIN_HEADS_TABLE = '_wb_chain_heads';
/**
 * Every input's chain head as one row keyed by the input's name, on dialects with
 * `chainHeads: 'shared'` (DuckDB); created by `apply` with its first input, which moves the head of
 * an input applied by an earlier version out of its `<t>__head` table.
 */
export const CHAIN_HEADS_TABLE = '_wb_heads';
/** Results of requests by idempotency key. */
export const IDEMPOTENCY_TABLE = '_wb_idempotency';
/** API tokens (hashes only). */
export const TOKENS_TABLE = '_wb_tokens';
/** Browser sessions of OpenID Connect sign-in (hashes only). */
export const SESSIONS_TABLE = '_wb_sessions';
/** The people who signed in through the identity provider: stable id → display name and e-mail. */
export const USERS_TABLE = '_wb_users';
/** Scenarios besides `base`. */
export const SCENARIOS_TABLE = '_wb_scenarios';
/** Closure of the scenario tree. */
export const SCENARIO_PATHS_TABLE = '_wb_scenario_paths';
/** Changes waiting for approval, and their decisions. */
export const PENDING_TABLE = '_wb_pending';
/** Outcomes of action webhook calls. */
export const WEBHOOK_CALLS_TABLE = '_wb_webhook_calls';

/**
 * writeback's library API, for embedding the engine in a Node.js program (`import … from 'writeback'`).
 * Re-exports only; every name below is documented where it is declared.
 *
 * - Load and validate a project: {@link loadProject} (problems are diagnostics with file:line:col;
 *   {@link formatDiagnostics} prints them with code frames).
 * - Compile it to SQL, offline: {@link compile}.
 * - Connect to its target: {@link openProject} gives a {@link Writeback}. Plan and apply with
 *   `wb.deploy.check()` / `wb.deploy.apply({ user, dryRun? })`; write and read input tables with
 *   `wb.inputs`; read merged views with `wb.models.rows`; scenarios, approvals and actions with
 *   `wb.scenarios`, `wb.pending`, `wb.actions`; tokens with `wb.tokens`; `wb.verify()`; `wb.close()`.
 * - Serve the HTTP API and the planner form over it: {@link startServer}.
 *
 * Expected failures are values (`{ ok: false, error }` or `{ ok: false, diagnostics }`); only
 * misuse throws ({@link UsageError}, {@link OpenProjectError}) and warehouse failures a caller can
 * act on are {@link WarehouseError}s. The cloud warehouses' SDKs (`pg`, `snowflake-sdk`,
 * `@google-cloud/bigquery`) are optional peer dependencies: install the one your target needs.
 */

// load and validate
export { loadProject, type LoadOptions } from './project/load-project.js';
export type { Diagnostic, Result } from './diagnostics/diagnostic.js';
export { formatDiagnostics, type FormatOptions } from './diagnostics/code-frame.js';

// compile
export { compile, type CompileOptions, type CompiledProject } from './library/compile.js';
export type { CompiledObject } from './emit/compile-project.js';

// connect, plan, apply, write and read
export { openProject, OpenProjectError, type OpenProjectOptions } from './library/open-project.js';
export type { Writeback } from './library/writeback.js';
export type { DeployOptions, DeployResult } from './library/deployment.js';
export type { Drift } from './library/drift.js';
export type { Operation } from './plan/operation.js';
export type {
  WriteOptions,
  WriteResult,
  WrittenEntry,
  WireRow,
  WireValue,
  ReadOptions,
  ReadResult,
  StateRow,
  HistoryOptions,
  HistoryResult,
  HistoryEntry,
  ColumnChange,
  VerifyReport,
  VerifyProblem,
} from './write/types.js';
export { HTTP_STATUS, type Outcome, type WriteError, type WriteErrorCode, type ErrorDetail } from './rules/outcome.js';
export type { Actor } from './auth/actor.js';
export type { AuthenticatedActor, CreateTokenInput, TokenInfo } from './auth/types.js';
export { ModelReadFailed, type ModelReadOptions, type ModelReadResult, type ModelRows, type ModelRow } from './library/model-rows.js';
export type { ContextReadOptions, ContextReadResult } from './library/source-context.js';
export type { GridReadOptions, GridReadResult, GridSort } from './write/grid-read.js';
export type { SourceValuesResult } from './library/source-values.js';

// planning workflows
export type { ScenarioInfo } from './write/scenario-registry.js';
export type { CreateScenarioInput } from './workflow/scenario-store.js';
export type { CompareResult, CompareRow } from './workflow/compare.js';
export type { PromoteResult, PromotedTable } from './workflow/promote.js';
export type { PendingChange } from './workflow/pending-store.js';
export type { ActionResult, ActionRunOptions } from './workflow/action-run.js';
export type { WebhookOutcome, WebhookPayload } from './workflow/webhook.js';

// serve
export { startServer, DEFAULT_PORT, type StartServerOptions, type RunningHttpServer } from './server/start-server.js';

// the loaded project
export type {
  Project,
  InputTable,
  InputColumn,
  ColumnType,
  Transition,
  ApprovalRule,
  ApprovalCondition,
  InputAction,
  Model,
  SourceLocation,
} from './ir/types.js';

// errors and connections
export { UsageError } from './adapters/usage-error.js';
export { WarehouseError, type WarehouseErrorKind } from './adapters/warehouse-error.js';
export type { Adapter } from './adapters/adapter.js';

/** The planning workflows' public surface (re-exported by src/index.ts). */
export type { Workflows, DecideOptions } from './workflows.js';
export type { ScenarioInfo } from '../write/scenario-registry.js';
export type { CreateScenarioInput } from './scenario-store.js';
export { SCENARIO_NAME_RE, checkScenarioName } from '../rules/scenario-name.js';
export { checkScenarioPermission, scenarioRoles, type ScenarioAction, type ScenarioRoles } from './scenario-permission.js';
export type { PendingChange } from './pending-store.js';
export type { CompareResult, CompareRow } from './compare.js';
export type { PromoteResult, PromotedTable } from './promote.js';
export type { ActionResult, ActionRunOptions } from './action-run.js';
export type { WebhookOutcome, WebhookPayload } from './webhook.js';
export { WORKFLOW_META_TABLES } from '../managed/meta-tables.js';
export { SCENARIOS_TABLE, SCENARIO_PATHS_TABLE, PENDING_TABLE, WEBHOOK_CALLS_TABLE } from '../managed/names.js';

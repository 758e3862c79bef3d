/** The library's public surface (re-exported by src/index.ts). */
export { openProject, OpenProjectError, type OpenProjectOptions } from './open-project.js';
export { Writeback, createWriteback, type WritebackOptions } from './writeback.js';
export * from '../write/index.js';
export * from '../workflow/index.js';
export type { ModelReadOptions, ModelReadResult, ModelRows, ModelRow } from './model-rows.js';
export { ModelReadFailed } from './model-rows.js';
export type { ContextReadOptions, ContextReadResult } from './source-context.js';
export type { SourceValuesResult } from './source-values.js';
export type { Drift } from './drift.js';
export type { DeployOptions, DeployResult, DeployPruneOptions } from './deployment.js';
export type { QueryOptions, QueryResult } from './read-query.js';

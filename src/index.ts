/** writeback's public library API: re-exports only. */
export * from './library/index.js';
export type { Project, InputTable, InputColumn, ColumnType, Transition, ApprovalRule, ApprovalCondition, InputAction } from './ir/types.js';
export type { Adapter } from './adapters/adapter.js';
export { WarehouseError, type WarehouseErrorKind } from './adapters/warehouse-error.js';

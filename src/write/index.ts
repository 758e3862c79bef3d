/** The write path's public surface (re-exported by src/index.ts). */
export { historyViewSql } from '../emit/history-view.js';
export { historyViewName } from '../managed/names.js';
export { WRITE_META_TABLES } from '../managed/meta-tables.js';
export { IDEMPOTENCY_TABLE, TOKENS_TABLE } from '../managed/names.js';
export { HTTP_STATUS } from '../rules/outcome.js';
export { READ_LIMITS } from './read-rows.js';
export type * from './types.js';
export type * from '../auth/types.js';
export { checkPermission, isAdmin, type Permission } from '../auth/permissions.js';
export { rowScope, RowScope, onInputRows, onSourceRows, onOutputColumns, type BoundFilter, type Placement } from '../auth/row-filter.js';
export { sqlNames, type SqlNames } from '../managed/sql-names.js';

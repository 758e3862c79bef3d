/** The write path's public surface (re-exported by src/index.ts). */
export { historyViewSql, historyViewName } from './history-view.js';
export { WRITE_META_TABLES, CHAIN_HEADS_TABLE, IDEMPOTENCY_TABLE, TOKENS_TABLE } from './meta-tables.js';
export { HTTP_STATUS } from './types.js';
export { READ_LIMITS } from './read-rows.js';
export type * from './types.js';
export type * from '../auth/types.js';
export { checkPermission, readFilterConditions, isAdmin, type Permission } from '../auth/permissions.js';
export { sqlNames, type SqlNames } from './sql-names.js';

import type { Actor } from '../auth/actor.js';
import type { Writeback } from '../library/writeback.js';
import { failure, type Outcome } from '../rules/outcome.js';
import type { SqlSession, SqlSessionLimits } from './types.js';

/**
 * Open a SQL session for `actor` (undefined: the administrator) over the project `wb` serves: a
 * dedicated engine connection of the server's own instance and a session catalog holding only
 * what the actor may read. A role that may read nothing is `forbidden`; a target other than
 * DuckDB is `bad_request` (BI tools connect to that warehouse itself).
 */
export async function openSqlSession(wb: Writeback, actor: Actor | undefined, limits?: Partial<SqlSessionLimits>): Promise<Outcome<{ session: SqlSession }>> {
  void wb;
  void actor;
  void limits;
  return failure('bad_request', 'SQL sessions are not available yet');
}

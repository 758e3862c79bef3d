import type { Actor } from '../../../src/auth/actor.js';
import type { Writeback } from '../../../src/library/writeback.js';
import { openSqlSession } from '../../../src/sqlsession/open-sql-session.js';
import { SqlError, type SqlOutcome, type SqlSession, type SqlSessionLimits } from '../../../src/sqlsession/types.js';

/** The demo's actors as a SQL connection signs them in. */
export const ANA: Actor = { user: 'ana', role: 'planner', attributes: { region: 'EMEA' } };
export const BOB: Actor = { user: 'bob', role: 'planner', attributes: { region: 'AMER' } };
export const VIC: Actor = { user: 'vic', role: 'viewer' };
export const FIN: Actor = { user: 'fin', role: 'finance' };

/** Open a session or fail the test with the refusal. */
export async function open(wb: Writeback, actor: Actor | undefined, limits?: Partial<SqlSessionLimits>): Promise<SqlSession> {
  const opened = await openSqlSession(wb, actor, limits);
  if (!opened.ok) throw new Error(opened.error.message);
  return opened.session;
}

/** Run one statement and collect its rows (text format) as objects by column name. */
export async function rows(session: SqlSession, sql: string, params: (string | null)[] = []): Promise<{ outcome: SqlOutcome; rows: Record<string, string | null>[] }> {
  const raw: (string | Buffer | null)[][] = [];
  const outcome = await session.run(sql, params, (r) => {
    raw.push(r);
  });
  const objects = raw.map((r) => Object.fromEntries(outcome.columns.map((c, i) => [c.name, r[i] === null ? null : String(r[i])])));
  return { outcome, rows: objects };
}

/** The SqlError a statement fails with (fails the test when it succeeds). */
export async function refusal(session: SqlSession, sql: string): Promise<SqlError> {
  try {
    await session.run(sql, [], () => undefined);
  } catch (err) {
    if (err instanceof SqlError) return err;
    throw err;
  }
  throw new Error(`expected ${sql} to fail`);
}

import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { statementFailure } from '../../../src/adapters/error-position.js';

/** What real DuckDB answers when it rejects `sql`. */
async function duckdbError(sql: string): Promise<unknown> {
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  try {
    await c.run('create table t (a int, b int)');
    await c.run(sql);
    throw new Error('no error');
  } catch (err) {
    return err;
  } finally {
    c.closeSync();
  }
}

/** `line:col` (1-based) of `needle` in `text`. */
function where(text: string, needle: string): { line: number; col: number } {
  const before = text.slice(0, text.indexOf(needle)).split('\n');
  return { line: before.length, col: (before.at(-1)?.length ?? 0) + 1 };
}

describe('statementFailure', () => {
  it('reads the line and column DuckDB points at, and drops the excerpt from the message', async () => {
    const sql = 'create view v as\nselect a,\n  nope\nfrom t';
    const f = statementFailure(await duckdbError(sql), sql);
    expect(f).toEqual({ message: 'Binder Error: Referenced column "nope" not found in FROM clause!\nCandidate bindings: "a"', ...where(sql, 'nope') });
  });

  it('finds the column when DuckDB cuts a long line around it', async () => {
    const cols = (p: string) => Array.from({ length: 30 }, (_, i) => `${p} as ${p}${i}`).join(', ');
    const sql = `create view v as\nselect ${cols('a')}, nope, ${cols('b')} from t`;
    const f = statementFailure(await duckdbError(sql), sql);
    expect(f).toMatchObject(where(sql, 'nope'));
  });

  it('names no position for an error without one', () => {
    expect(statementFailure(new Error('connection lost'), 'select 1')).toEqual({ message: 'connection lost' });
  });
});

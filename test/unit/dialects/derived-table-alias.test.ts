import { describe, expect, it } from 'vitest';
import { getDialect } from '../../../src/dialects/registry.js';
import { needsDerivedTableAlias } from '../../../src/emit/derived-table-alias.js';
import { latestAliasResolver, renderModel } from '../../../src/emit/model-sql.js';
import type { Model } from '../../../src/ir/types.js';
import { fixtureProject } from '../emit/fixture-project.js';

describe('needsDerivedTableAlias', () => {
  it.each([
    ['select * from ', '', true],
    ['select * from ', ' where x', true],
    ['select * from\n  ', '\n)', true],
    ['left join ', ' on a = b', true],
    ['from a, ', ' group by 1', true],
    ['select * from ', ' as t', false],
    ['select * from ', ' t where', false],
    ['select * from ', ' "t"', false],
    ['where exists ', '', false],
    ['where id in ', '', false],
    ['select ', ' from x', false],
  ])('before %j, after %j → %s', (before, after, expected) => {
    expect(needsDerivedTableAlias(before, after)).toBe(expected);
  });
});

describe('input() in a SQL model', () => {
  const render = (type: string, sql: string) => {
    const project = fixtureProject();
    const model: Model = { name: 'm', body: { kind: 'sql', sql, sqlLoc: { file: 'models/m.yml', line: 3, col: 5 } }, dependsOn: { models: [], inputs: [], sources: [] }, loc: { file: 'models/m.yml', line: 1, col: 1 } };
    const r = renderModel(project, model, getDialect(type), 'dev', latestAliasResolver(project));
    if (!r.ok) throw new Error(r.diagnostics.map((d) => d.message).join('; '));
    return r.value.replace(/\(select [^)]*\)/, '(…)');
  };

  it('gets an alias on Postgres only, and only when the SQL gives none', () => {
    const sql = "select count(*) from {{ input('account_fix') }} where region = 'EU'";
    expect(render('duckdb', sql)).toBe("select count(*) from (…) where region = 'EU'");
    expect(render('snowflake', sql)).toBe("select count(*) from (…) where region = 'EU'");
    expect(render('bigquery', sql)).toBe("select count(*) from (…) where region = 'EU'");
    expect(render('postgres', sql)).toBe(`select count(*) from (…) as "account_fix" where region = 'EU'`);
    expect(render('postgres', "select f.region from {{ input('account_fix') }} f")).toBe('select f.region from (…) f');
    expect(render('postgres', "select 1 where exists {{ input('account_fix') }}")).toBe('select 1 where exists (…)');
  });
});

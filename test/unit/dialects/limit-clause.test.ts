import { describe, expect, it } from 'vitest';
import type { SqlValue } from '../../../src/dialects/sql-value.js';
import { getDialect, listDialects } from '../../../src/dialects/registry.js';

// LIMIT/OFFSET of a page: bound where the warehouse takes parameters there, inlined (validated
// whole numbers only) on Snowflake, whose LIMIT takes "a non-negative integer constant".
describe('limitClause', () => {
  it.each([
    ['duckdb', 'limit $2 offset $3', ['x', 51, 100]],
    ['postgres', 'limit $2 offset $3', ['x', 51, 100]],
    ['bigquery', 'limit @p2 offset @p3', ['x', 51, 100]],
    ['snowflake', 'limit 51 offset 100', ['x']],
  ])('%s: %s', (name, sql, params) => {
    const bound: SqlValue[] = ['x'];
    expect(getDialect(name).limitClause(bound, 51, 100)).toBe(sql);
    expect(bound).toEqual(params);
  });

  it.each(listDialects().map((d) => [d.name, d] as const))('%s: refuses anything but a non-negative safe integer, so no text reaches SQL', (_name, d) => {
    for (const bad of [-1, 1.5, Number.NaN, Infinity, 2 ** 53, '10 union select 1' as unknown as number]) {
      expect(() => d.limitClause([], bad)).toThrow(/not a non-negative integer/);
      expect(() => d.limitClause([], 10, bad)).toThrow(/not a non-negative integer/);
    }
    const params: SqlValue[] = [];
    expect(d.limitClause(params, 0, 0)).toMatch(/^limit \S+ offset \S+$/);
  });
});

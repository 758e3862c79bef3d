import { describe, expect, it } from 'vitest';
import { duckdbDialect as d } from '../../../src/dialects/duckdb/duckdb-dialect.js';
import { formatScript, formatSql } from '../../../src/emit/format.js';

describe('formatSql (duckdb)', () => {
  it('lays out a select and keeps $n placeholders intact', () => {
    expect(formatSql(d, 'select "a", b from "s"."t" where x = $1 and y = $12')).toBe(
      'select\n  "a",\n  b\nfrom\n  "s"."t"\nwhere\n  x = $1\n  and y = $12',
    );
  });

  it('leaves MERGE as written', () => {
    const merge = 'merge into "w"."t" as t using (select $1 as a) as s on t.a = s.a when matched then update set a = s.a';
    expect(formatSql(d, `  ${merge}\n`)).toBe(merge);
  });

  it('returns SQL it cannot parse as written', () => {
    expect(formatSql(d, 'select {{ oops')).toBe('select {{ oops');
  });

  it('joins a script with semicolons and blank lines', () => {
    expect(formatScript(d, ['select 1', 'select 2'])).toBe('select\n  1;\n\nselect\n  2;\n');
  });
});

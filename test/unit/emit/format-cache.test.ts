import fc from 'fast-check';
import { format } from 'sql-formatter';
import { describe, expect, it } from 'vitest';
import type { Dialect } from '../../../src/dialects/dialect.js';
import { listDialects } from '../../../src/dialects/registry.js';
import { formatSql } from '../../../src/emit/format.js';
import { fillSkeleton, sqlSkeleton } from '../../../src/emit/sql-skeleton.js';

/** What formatSql did before the skeleton cache: sql-formatter on the text itself. */
function direct(dialect: Dialect, sql: string): string {
  try {
    return format(sql, { language: dialect.formatterLanguage, paramTypes: dialect.formatterParams, tabWidth: 2, keywordCase: 'lower', linesBetweenQueries: 1 }).trim();
  } catch {
    return sql.trim();
  }
}

// Names of every length around sql-formatter's inline width (50), with spaces, quotes and non-ASCII.
const name = fc.string({ unit: fc.constantFrom('a', 'b', 'z', '_', '1', ' ', '"', "'", 'é', '€', '-', '.', '*', '/', '(', ')', ',', ';'), minLength: 1, maxLength: 40 });
const value = fc.string({ unit: fc.constantFrom('a', ' ', "'", '"', '--', '/*', '*/', 'é', ',', '('), maxLength: 30 });

/**
 * Text that can stand inside one block comment: no `*/`, and no `/*` either (a nested comment,
 * which the warehouses and sql-formatter read differently; sql-formatter then rewrites the SQL
 * after it, so a cache that declines such text is right not to match it).
 */
function commentText(v: string): string {
  let text = v;
  while (/\/\*|\*\//.test(text)) text = text.replace(/\/\*|\*\//g, '');
  return text;
}

function statements(d: Dialect, n: string[], v: string): string[] {
  const q = (i: number) => d.quoteIdent(n[i % n.length]!);
  const lit = d.literal(v);
  return [
    `create table if not exists ${d.qualify(n[0]!, n[1]!)} (${q(2)} VARCHAR not null, ${q(3)} DECIMAL(18,2), primary key (${q(2)}, ${q(3)}))`,
    `create table ${q(0)} (${q(1)} INTEGER)`,
    `select b.*, i0.${q(1)}, i0.${q(2)} from ${d.qualify(n[0]!, n[1]!)} as b left join (select ${q(1)}, ${q(2)}, ${q(3)} from ${q(0)} where ${q(4)} = ${lit} and not ${q(5)}) as i0 on i0.${q(1)} = b.${q(1)}`,
    `select p.id, case when ${q(1)} is null or ${q(1)} = 0 then null else (p.amount) / (${q(1)}) end as ratio -- it's a comment "x"\nfrom ${q(2)} p where p.period like ${lit} /* ${commentText(v)} */ and p.x in (${lit}, ${lit})`,
    `select ${lit} as ${q(0)} union all select ${q(1)}, 'it''s' from t`,
  ];
}

describe('formatSql skeleton cache', () => {
  it('gives exactly what sql-formatter gives, for every dialect (property)', () => {
    for (const d of listDialects()) {
      fc.assert(
        fc.property(fc.array(name, { minLength: 6, maxLength: 6 }), value, (n, v) => {
          for (const sql of statements(d, n, v)) expect(formatSql(d, sql)).toBe(direct(d, sql));
        }),
        { numRuns: 40 },
      );
    }
  }, 120_000);

  it('formats a statement that shares a skeleton with a cached one', () => {
    const d = listDialects()[0]!;
    const a = `select ${d.quoteIdent('aaaa')} from ${d.qualify('s', 't')} where x = 'one'`;
    const b = `select ${d.quoteIdent('bbbb')} from ${d.qualify('u', 'v')} where x = 'two'`;
    expect(sqlSkeleton(a, d.quoteIdent('x')[0]!)?.text).toBe(sqlSkeleton(b, d.quoteIdent('x')[0]!)?.text);
    expect(formatSql(d, a)).toBe(direct(d, a));
    expect(formatSql(d, b)).toBe(direct(d, b));
  });

  it('declines texts it does not model, and refuses a formatted text whose masks moved', () => {
    expect(sqlSkeleton("select 'a\\'b'", '"')).toBeUndefined();
    expect(sqlSkeleton('select $$x$$', '"')).toBeUndefined();
    expect(sqlSkeleton("select 'open", '"')).toBeUndefined();
    expect(sqlSkeleton("select `it's`, 'a'", '"')).toBeUndefined();
    expect(sqlSkeleton("select `ab`, 'cd'", '`')?.text).toBe("select `xx`, 'xx'");
    const s = sqlSkeleton(`select "ab", 'cd'`, '"')!;
    expect(s.text).toBe(`select "xx", 'xx'`);
    expect(fillSkeleton(`select\n  "xx",\n  'xx'`, s)).toBe(`select\n  "ab",\n  'cd'`);
    expect(fillSkeleton(`select 'xx', "xx"`, s)).toBeUndefined();
    expect(fillSkeleton(`select "xx"`, s)).toBeUndefined();
  });
});

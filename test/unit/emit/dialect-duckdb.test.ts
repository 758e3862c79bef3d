import { describe, expect, it } from 'vitest';
import { duckdbDialect as d } from '../../../src/dialects/duckdb/duckdb-dialect.js';
import { findDialect, getDialect, listDialects, UnknownDialectError } from '../../../src/dialects/registry.js';

describe('duckdb dialect fragments', () => {
  it('quotes identifiers, doubling embedded quotes', () => {
    expect(d.quoteIdent('amount')).toBe('"amount"');
    expect(d.quoteIdent('we"ird')).toBe('"we""ird"');
    expect(d.qualify('writeback', 'revenue_forecast')).toBe('"writeback"."revenue_forecast"');
    expect(d.qualify('main', 'accounts', 'warehouse')).toBe('"warehouse"."main"."accounts"');
  });

  it('writes literals for YAML values', () => {
    expect(d.literal("it's")).toBe("'it''s'");
    expect(d.literal('C:\\path')).toBe("'C:\\path'");
    expect(d.literal(2026)).toBe('2026');
    expect(d.literal(-1.5)).toBe('-1.5');
    expect(d.literal(true)).toBe('TRUE');
    expect(d.literal(false)).toBe('FALSE');
    expect(d.literal(null)).toBe('NULL');
    expect(() => d.literal(Number.NaN)).toThrow();
  });

  it('numbers parameters $1, $2, …', () => {
    expect(d.param(1)).toBe('$1');
    expect(d.param(12)).toBe('$12');
  });

  it('maps portable and system types', () => {
    expect(d.columnType({ kind: 'string' })).toBe('VARCHAR');
    expect(d.columnType({ kind: 'text' })).toBe('VARCHAR');
    expect(d.columnType({ kind: 'integer' })).toBe('BIGINT');
    expect(d.columnType({ kind: 'number' })).toBe('DOUBLE');
    expect(d.columnType({ kind: 'decimal', precision: 18, scale: 2 })).toBe('DECIMAL(18, 2)');
    expect(d.columnType({ kind: 'boolean' })).toBe('BOOLEAN');
    expect(d.columnType({ kind: 'date' })).toBe('DATE');
    expect(d.columnType({ kind: 'timestamp' })).toBe('TIMESTAMP');
    expect(d.columnType({ kind: 'enum', values: ['a'] })).toBe('VARCHAR');
    expect(d.columnType({ kind: 'system', type: 'string' })).toBe('VARCHAR');
    expect(d.columnType({ kind: 'system', type: 'integer' })).toBe('INTEGER');
    expect(d.columnType({ kind: 'system', type: 'bigint' })).toBe('BIGINT');
    expect(d.columnType({ kind: 'system', type: 'boolean' })).toBe('BOOLEAN');
    expect(d.columnType({ kind: 'system', type: 'timestamp' })).toBe('TIMESTAMP');
  });

  it('tests containment with contains()', () => {
    expect(d.strContains('"o"."_set_columns"', "'|a|'")).toBe(`contains("o"."_set_columns", '|a|')`);
  });

  it('declares its capabilities', () => {
    expect(d).toMatchObject({
      transactionalDdl: true,
      replaceViewChangesColumns: true,
      upsertStyle: 'on-conflict',
      primaryKeys: 'enforced',
      starExcludeKeyword: 'exclude',
      supportsStarReplace: true,
      renameToQualified: false,
      backslashEscapesInStrings: false,
    });
  });
});

describe('dialect registry', () => {
  it('finds dialects by target type', () => {
    expect(getDialect('duckdb')).toBe(d);
    expect(findDialect('oracle')).toBeUndefined();
    expect(findDialect('toString')).toBeUndefined();
    expect(() => getDialect('oracle')).toThrow(UnknownDialectError);
    expect(() => getDialect('oracle')).toThrow(/known: duckdb/);
  });

  // Shared rules: every registered dialect must satisfy them.
  describe.each(listDialects().map((x) => [x.name, x] as const))('%s shared rules', (_name, dialect) => {
    it('quotes every identifier so embedded quote characters cannot end it', () => {
      const q = dialect.quoteIdent('a"b`c');
      expect(q.length).toBeGreaterThan('a"b`c'.length);
      expect(dialect.quoteIdent('x')).not.toBe('x');
    });
    it('keeps a single quote inside a string literal', () => {
      const lit = dialect.literal("o'clock");
      expect(lit.startsWith("'") && lit.endsWith("'")).toBe(true);
      expect(lit.slice(1, -1)).not.toMatch(/(^|[^'\\])'([^']|$)/);
    });
    it('numbers placeholders distinctly or positionally', () => {
      expect(typeof dialect.param(1)).toBe('string');
    });
    it('has a formatter language', () => {
      expect(['duckdb', 'snowflake', 'bigquery', 'postgresql']).toContain(dialect.formatterLanguage);
    });
  });
});

import { describe, expect, it } from 'vitest';
import { listDialects } from '../../../src/dialects/registry.js';
import { SYSTEM_TYPES_FOR_TEST, PORTABLE_TYPES_FOR_TEST } from './type-samples.js';

// Rules every registered dialect keeps (a new dialect is covered by being registered).
describe.each(listDialects().map((d) => [d.name, d] as const))('%s', (_name, d) => {
  it('maps every portable and system type to a SQL type', () => {
    for (const t of [...PORTABLE_TYPES_FOR_TEST, ...SYSTEM_TYPES_FOR_TEST]) expect(d.columnType(t)).toMatch(/^[A-Z][A-Z0-9_ ]*(\(\d+, \d+\))?$/);
  });

  it('numbers placeholders distinctly, so a statement may reuse one', () => {
    const params = [1, 2, 3, 10].map((i) => d.param(i));
    expect(new Set(params).size).toBe(params.length);
    [1, 2, 3, 10].forEach((i, k) => expect(params[k]).toMatch(new RegExp(`\\D${i}$`)));
  });

  it('quotes names so that they survive as written or as the warehouse folds them', () => {
    const inner = d.quoteIdent('account_id').slice(1, -1);
    expect(inner).toBe(d.identifierCase === 'upper' ? 'ACCOUNT_ID' : 'account_id');
    expect(d.qualify('s', 't')).toBe(`${d.quoteIdent('s')}.${d.quoteIdent('t')}`);
  });

  it('keeps a backslash and a line break inside a string literal intact', () => {
    for (const v of ['a\\', 'a\\\'b', 'line\nbreak']) {
      const lit = d.literal(v);
      expect(lit.startsWith("'") && lit.endsWith("'")).toBe(true);
      // The closing quote is never escaped away.
      expect(lit.slice(1, -1)).not.toMatch(d.backslashEscapesInStrings ? /(^|[^\\])(\\\\)*\\$/ : /(^|[^'])'$/);
    }
  });

  it('is consistent about star modifiers', () => {
    if (d.supportsStarReplace) expect(d.starExcludeKeyword).toBeDefined();
  });
});

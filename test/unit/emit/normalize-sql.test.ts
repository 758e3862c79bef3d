import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeSql } from '../../../src/emit/fingerprint.js';

// The implementation fingerprints were first computed with, kept verbatim as the reference:
// normalizeSql feeds every model fingerprint, so its output must never change.
const WORDISH = /[A-Za-z0-9_$'"`\u0080-\uffff]/;
function referenceNormalizeSql(sql: string, backslash: boolean): string {
  let out = '';
  let gap = false;
  const emit = (text: string) => {
    if (gap && out.length > 0 && WORDISH.test(out.at(-1) ?? '') && WORDISH.test(text[0] ?? '')) out += ' ';
    gap = false;
    out += text;
  };
  let i = 0;
  while (i < sql.length) {
    const c = sql[i] ?? '';
    if (/\s/.test(c)) {
      gap = true;
      i++;
    } else if (sql.startsWith('--', i)) {
      const nl = sql.indexOf('\n', i);
      i = nl < 0 ? sql.length : nl;
      gap = true;
    } else if (sql.startsWith('/*', i)) {
      const end = sql.indexOf('*/', i + 2);
      i = end < 0 ? sql.length : end + 2;
      gap = true;
    } else if (c === "'" || c === '"' || c === '`') {
      const end = quotedEnd(sql, i, c === "'" && backslash);
      emit(sql.slice(i, end));
      i = end;
    } else {
      emit(c);
      i++;
    }
  }
  return out;
}
function quotedEnd(sql: string, start: number, backslash: boolean): number {
  const q = sql[start];
  let i = start + 1;
  while (i < sql.length) {
    const c = sql[i];
    if (backslash && c === '\\') i += 2;
    else if (c === q && sql[i + 1] === q) i += 2;
    else if (c === q) return i + 1;
    else i++;
  }
  return sql.length;
}

const piece = fc.constantFrom(
  'select', 'a', 'b1', '_x', '$1', ' ', '  ', '\t', '\n', '\r\n', '\u00a0', '\u2003', '\u3000', '\ufeff', 'é', '€', '😀',
  ',', '(', ')', '.', '*', '/', '-', '--', '/*', '*/', '=', '<>', ';', "'", '"', '`', "''", '\\', "'it''s'", '"q""d"', '`b`', '-- c\n', '/* c */',
);

describe('normalizeSql', () => {
  it('gives exactly what the original implementation gives (property)', () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 60 }), fc.boolean(), (pieces, backslash) => {
        const sql = pieces.join('');
        expect(normalizeSql(sql, { backslashEscapesInStrings: backslash })).toBe(referenceNormalizeSql(sql, backslash));
      }),
      { numRuns: 3000 },
    );
  });

  it('matches on arbitrary text too (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (sql) => {
        expect(normalizeSql(sql)).toBe(referenceNormalizeSql(sql, false));
      }),
      { numRuns: 2000 },
    );
  });
});

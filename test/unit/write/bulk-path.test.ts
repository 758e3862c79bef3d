import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { InputColumn, InputTable } from '../../../src/ir/types.js';
import { valueChecker, decimalToScaled, scaledToDecimal } from '../../../src/rules/column-rules.js';
import { canonicalEntryText, type LogEntry } from '../../../src/write/log-entry.js';
import { type ParsedRow, parseRow, parseRowWithZod, parseValidRow } from '../../../src/write/row-schema.js';

const loc = { file: 'inputs/t.yml', line: 1, col: 1 };
const col = (name: string, type: InputColumn['type'], more: Partial<InputColumn> = {}): InputColumn => ({ name, type, required: false, loc, ...more });
const table: InputTable = {
  name: 't',
  key: ['id'],
  columns: [col('note', { kind: 'text' }), col('id', { kind: 'string' }), col('amount', { kind: 'decimal', precision: 18, scale: 2 })],
  scenarios: false,
  permissions: {},
  loc,
};

/** The canonical text by definition: JSON of the system fields and the (column, value) pairs in name order. */
function reference(input: InputTable, e: Omit<LogEntry, 'hash' | 'prevHash'>): string {
  const set = e.setColumns ?? '';
  const pairs = input.columns
    .map((c, i) => ({ name: c.name, v: e.values[i] ?? null }))
    .filter(({ name, v }) => v !== null || set.includes(`|${name}|`))
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .map(({ name, v }) => [name, v]);
  const at = new Date(e.atMs).toISOString();
  return JSON.stringify([e.entryId, e.seq, e.op, e.scenario, e.version, e.user, at, e.setColumns, e.oldValues, e.requestId, e.comment, pairs]);
}

const text = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.constantFrom('a"b', 'back\\slash', 'line\nbreak', '\u0000', '\ud800', '\udc00x', '😀', '\u2028', 'plain'));
const nullable = fc.option(text, { nil: null });
const entry = fc.record({
  entryId: text,
  seq: fc.nat(),
  op: fc.constantFrom('upsert' as const, 'delete' as const, 'reset' as const, 'propose_upsert' as const),
  scenario: text,
  version: fc.nat(),
  user: text,
  atMs: fc.integer({ min: 0, max: 4_102_444_800_000 }),
  setColumns: fc.option(fc.constantFrom('|id|', '|id|note|', '|amount|id|note|', '|note|'), { nil: null }),
  oldValues: nullable,
  requestId: nullable,
  comment: nullable,
  values: fc.tuple(nullable, nullable, nullable),
});

describe('canonical entry text (bulk path)', () => {
  it('equals JSON.stringify of the fields for any text, also when consecutive entries share or change fields', () => {
    fc.assert(
      fc.property(fc.array(entry, { minLength: 1, maxLength: 6 }), (entries) => {
        for (const e of entries) expect(canonicalEntryText(table, e)).toBe(reference(table, e));
      }),
      { numRuns: 300 },
    );
  });

  it('a field changed after a call with the same others is not taken from the previous entry', () => {
    const e = { entryId: 'x', seq: 1, op: 'upsert' as const, scenario: 'base', version: 1, user: 'u', atMs: 0, setColumns: '|id|', oldValues: null, requestId: 'r', comment: null, values: [null, 'k', null] };
    expect(canonicalEntryText(table, e)).toBe(reference(table, e));
    for (const change of [{ user: 'v' }, { atMs: 1 }, { scenario: 's' }, { op: 'delete' as const }, { requestId: null }, { comment: 'c' }, { setColumns: null }, { oldValues: '{}' }]) {
      const next = { ...e, ...change };
      expect(canonicalEntryText(table, next)).toBe(reference(table, next));
      expect(canonicalEntryText(table, e)).toBe(reference(table, e));
    }
  });
});

/** The decimal rule without its fast path: parse to a scaled integer, check, print it back. */
function decimalReference(c: InputColumn, value: string): { ok: boolean; value?: string | null } {
  if (c.type.kind !== 'decimal') throw new Error('not a decimal column');
  const { precision, scale } = c.type;
  const n = decimalToScaled(value, scale);
  if (n === undefined) return { ok: false };
  const limit = 10n ** BigInt(precision);
  if (n >= limit || n <= -limit) return { ok: false };
  if (c.min !== undefined && n < decimalToScaled(String(c.min), scale)!) return { ok: false };
  if (c.max !== undefined && n > decimalToScaled(String(c.max), scale)!) return { ok: false };
  return { ok: true, value: scaledToDecimal(n, scale) };
}

describe('column rules fast paths', () => {
  it('decimals: canonical and other texts give the same result as the scaled-integer rule', () => {
    const columns = [
      col('a', { kind: 'decimal', precision: 18, scale: 2 }, { min: 0 }),
      col('b', { kind: 'decimal', precision: 6, scale: 2 }, { min: '-10.5', max: '1000.50' }),
      col('c', { kind: 'decimal', precision: 4, scale: 0 }),
      col('d', { kind: 'decimal', precision: 38, scale: 10 }, { max: '99999.5' }),
    ];
    const digits = fc.string({ unit: fc.constantFrom('0', '1', '5', '9'), minLength: 1, maxLength: 18 });
    const decimalText = fc.oneof(
      fc.tuple(fc.constantFrom('', '-'), digits, fc.option(fc.string({ unit: fc.constantFrom('0', '3', '9'), minLength: 0, maxLength: 12 }))).map(
        ([sign, int, frac]) => `${sign}${int}${frac === null ? '' : `.${frac}`}`,
      ),
      fc.constantFrom('0.00', '-0.00', '00.10', '1000.50', '1000.51', '9999', '10000', '0', '999999999999999.99', '1e3', '.5', ' 1.00'),
    );
    fc.assert(
      fc.property(fc.constantFrom(...columns), decimalText, (c, value) => {
        const got = valueChecker(c)(value);
        const want = decimalReference(c, value);
        expect(got.ok).toBe(want.ok);
        if (got.ok) expect(got.value).toBe(want.value);
      }),
      { numRuns: 2000 },
    );
  });

  it('integers given as numbers: bounds compared exactly, text as before', () => {
    const i = col('i', { kind: 'integer' }, { min: -5, max: '9007199254740993' });
    expect(valueChecker(i)(42)).toEqual({ ok: true, value: '42' });
    expect(valueChecker(i)(-0)).toEqual({ ok: true, value: '0' });
    expect(valueChecker(i)(-6)).toEqual({ ok: false, message: '-6 is below the minimum -5' });
    expect(valueChecker(i)(Number.MAX_SAFE_INTEGER)).toEqual({ ok: true, value: '9007199254740991' });
    expect(valueChecker(col('j', { kind: 'integer' }, { max: 10 }))(11)).toEqual({ ok: false, message: '11 is above the maximum 10' });
  });

  it('max length counts characters (code points), also past the UTF-16 length', () => {
    const t = col('t', { kind: 'text' }, { maxLength: 3 });
    expect(valueChecker(t)('😀😀😀').ok).toBe(true);
    expect(valueChecker(t)('abc').ok).toBe(true);
    expect(valueChecker(t)('abcd')).toEqual({ ok: false, message: 'is 4 characters long; at most 3 allowed' });
    expect(valueChecker(t)('😀😀😀😀')).toEqual({ ok: false, message: 'is 4 characters long; at most 3 allowed' });
  });
});

describe('row parsing fast path', () => {
  it('parseValidRow agrees with the zod schema on valid rows and declines the rest', () => {
    const rows: unknown[] = [
      { id: 'k', amount: '1.5' },
      { id: 'k', note: null, _version: 2 },
      { id: 'k', amount: 'x' },
      { id: 'k', other: 1 },
      { id: 'k', _version: -1 },
      [],
      null,
      JSON.parse('{"id":"k","__proto__":{}}'),
      { id: 'k', note: undefined },
    ];
    for (const row of rows) {
      const fast = parseValidRow(table, row);
      const zod: { row?: ParsedRow; details: unknown[] } = row !== null && typeof row === 'object' && !Array.isArray(row) ? parseRowWithZod(table, row, 0) : { details: [{}] };
      const valid = zod.details.length === 0 && !Object.hasOwn(row as object, '__proto__');
      if (valid) expect(fast).toEqual(zod.row);
      else expect(fast).toBeUndefined();
      expect(parseRow(table, row, 0).row).toEqual(valid ? zod.row : undefined);
    }
  });
});

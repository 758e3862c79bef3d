import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { InputColumn, InputTable } from '../../../src/ir/types.js';
import { valueChecker, decimalToScaled, scaledToDecimal } from '../../../src/rules/column-rules.js';
import { parseRow, parseRowWithZod } from '../../../src/write/row-schema.js';

const loc = { file: 'inputs/t.yml', line: 1, col: 1 };
const col = (type: InputColumn['type'], more: Partial<InputColumn> = {}): InputColumn => ({ name: 'c', type, required: false, loc, ...more });
const check = (c: InputColumn, v: unknown) => valueChecker(c)(v);

describe('column rules', () => {
  it('decimals: strings exact, numbers only when exact at the scale, bounds compared exactly', () => {
    const d = col({ kind: 'decimal', precision: 6, scale: 2 }, { min: 0, max: '1000.50' });
    expect(check(d, '12.5')).toEqual({ ok: true, value: '12.50' });
    expect(check(d, 12.5)).toEqual({ ok: true, value: '12.50' });
    expect(check(d, '12.500')).toEqual({ ok: true, value: '12.50' });
    expect(check(d, '12.505').ok).toBe(false);
    expect(check(d, 0.1 + 0.2).ok).toBe(false);
    expect(check(d, '1000.51').ok).toBe(false);
    expect(check(d, '-0.01').ok).toBe(false);
    expect(check(d, '10000.00').ok).toBe(false);
    expect(check(d, '1e3').ok).toBe(false);
    expect(check(d, null)).toEqual({ ok: true, value: null });
  });

  it('integers beyond 2^53 travel as strings', () => {
    const i = col({ kind: 'integer' });
    expect(check(i, 42)).toEqual({ ok: true, value: '42' });
    expect(check(i, '9007199254740993')).toEqual({ ok: true, value: '9007199254740993' });
    expect(check(i, 2 ** 60).ok).toBe(false);
    expect(check(i, '99999999999999999999').ok).toBe(false);
  });

  it('dates, timestamps, strings, enums, booleans', () => {
    expect(check(col({ kind: 'date' }), '2024-02-29')).toEqual({ ok: true, value: '2024-02-29' });
    expect(check(col({ kind: 'date' }), '2023-02-29').ok).toBe(false);
    expect(check(col({ kind: 'timestamp' }), '2026-01-01T00:00:00+01:00')).toEqual({ ok: true, value: '2025-12-31T23:00:00.000Z' });
    expect(check(col({ kind: 'timestamp' }), '2026-01-01T00:00:00').ok).toBe(false);
    expect(check(col({ kind: 'string' }, { pattern: '^a', maxLength: 3 }), 'abcd').ok).toBe(false);
    expect(check(col({ kind: 'string' }, { pattern: '^a', maxLength: 3 }), 'bc').ok).toBe(false);
    expect(check(col({ kind: 'enum', values: ['x'] }), 'y').ok).toBe(false);
    expect(check(col({ kind: 'boolean' }), 'true').ok).toBe(false);
    expect(check(col({ kind: 'number' }, { min: 0 }), -0.5).ok).toBe(false);
  });

  it('a decimal sent as a number that is not exact says why, without quoting digits a JSON number may have lost', () => {
    const d = col({ kind: 'decimal', precision: 38, scale: 2 });
    const message = (v: unknown) => { const r = check(d, v); return r.ok ? undefined : r.message; };
    expect(message(1.005)).toBe('1.005 is not exact at 2 decimal places; send decimals as strings');
    expect(message(1e-7)).toBe('1e-7 is not exact at 2 decimal places; send decimals as strings');
    // 16 digits: refused although a double holds this one exactly, as every number past 15 digits
    expect(message(1234567890123456)).toBe('a JSON number of more than 15 digits is not exact; send decimals as strings');
    expect(message(12345678901234567890)).toBe('a JSON number of more than 15 digits is not exact; send decimals as strings');
    expect(message(0.1 + 0.2)).toBe('a JSON number of more than 15 digits is not exact; send decimals as strings');
    expect(message(Infinity)).toBe('expected a decimal, got a number out of range (Infinity); send decimals as strings');
    expect(check(d, 123456789012.34)).toEqual({ ok: true, value: '123456789012.34' });
  });

  it('decimal text round-trips through scaled integers', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 17n), max: 10n ** 17n }), fc.integer({ min: 0, max: 6 }), (n, scale) => {
        expect(decimalToScaled(scaledToDecimal(n, scale), scale)).toBe(n);
      }),
    );
  });
});

const table: InputTable = {
  name: 't',
  key: ['id'],
  columns: [
    { name: 'id', type: { kind: 'integer' }, required: true, loc },
    { name: 'amount', type: { kind: 'decimal', precision: 10, scale: 2 }, required: false, min: 0, loc },
    { name: 'label', type: { kind: 'string' }, required: false, maxLength: 4, loc },
    { name: 'on', type: { kind: 'boolean' }, required: false, loc },
  ],
  scenarios: false,
  permissions: {},
  loc,
};

describe('row schema', () => {
  it('the fast path and the zod schema agree on every row', () => {
    const value = fc.oneof(fc.constant(null), fc.integer(), fc.double(), fc.string({ maxLength: 6 }), fc.boolean(), fc.constantFrom('1.5', '-2', '0.125', '12'));
    const row = fc.dictionary(fc.constantFrom('id', 'amount', 'label', 'on', '_version', 'extra'), value);
    fc.assert(
      fc.property(row, (r) => {
        const fast = parseRow(table, r, 0);
        const zod = parseRowWithZod(table, r, 0);
        expect(fast.row).toEqual(zod.row);
        expect(fast.details.length > 0).toBe(zod.details.length > 0);
      }),
      { numRuns: 500 },
    );
  });

  it('lists every bad field of a row with its column', () => {
    const { details } = parseRow(table, { id: 'x', amount: '-1', label: 'toolong', extra: 1 }, 7);
    expect(details.map((d) => [d.row, d.column])).toEqual([
      [7, 'id'],
      [7, 'amount'],
      [7, 'label'],
      [7, 'extra'],
    ]);
  });
});

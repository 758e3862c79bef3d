import { describe, expect, it } from 'vitest';
import type { InputColumn, InputTable } from '../../../src/ir/types.js';
import { valueChecker } from '../../../src/rules/column-rules.js';
import { parseTime } from '../../../src/write/read-rows.js';
import { parseRow } from '../../../src/write/row-schema.js';

const loc = { file: 'inputs/t.yml', line: 1, col: 1 };
const col = (type: InputColumn['type']): InputColumn => ({ name: 'c', type, required: false, loc });
const ok = (c: InputColumn, v: unknown) => valueChecker(c)(v).ok;

describe('wire values are taken as they are: no trimming, no roll-over', () => {
  it('decimals with surrounding white space are rejected; clean ones pass', () => {
    const d = col({ kind: 'decimal', precision: 10, scale: 2 });
    for (const bad of [' 1', '1 ', ' 1.50 ', '\t1', '1\n', '1 000', '', ' ', '1.', '.5', '--1']) expect(ok(d, bad), JSON.stringify(bad)).toBe(false);
    expect(valueChecker(d)(' 1')).toEqual({ ok: false, message: `expected a decimal with at most 2 decimal places (as a string, e.g. "12.50"), got ' 1'` });
    for (const good of ['1', '-1', '+1', '1.5', '01.50', '0']) expect(ok(d, good), good).toBe(true);
  });

  it('integers, dates and timestamps with surrounding white space are rejected too', () => {
    for (const bad of [' 1', '1 ', '1\n', '+1', '1.0', '']) expect(ok(col({ kind: 'integer' }), bad), JSON.stringify(bad)).toBe(false);
    for (const bad of [' 2026-01-31', '2026-01-31 ', '2026-01-31\n', '2026-1-31', '2026-01-31T00:00:00Z']) expect(ok(col({ kind: 'date' }), bad), bad).toBe(false);
    for (const bad of [' 2026-01-31T12:00:00Z', '2026-01-31T12:00:00Z ', '2026-01-31T12:00:00Z\n']) expect(ok(col({ kind: 'timestamp' }), bad), bad).toBe(false);
  });

  it('timestamps on days that do not exist, or at hour 24, are rejected instead of rolling over', () => {
    const t = col({ kind: 'timestamp' });
    for (const bad of ['2026-02-30T12:00:00Z', '2026-02-29T00:00:00Z', '2026-04-31T00:00:00+02:00', '2026-01-31T24:00:00Z', '2026-13-01T00:00:00Z']) expect(ok(t, bad), bad).toBe(false);
    expect(valueChecker(t)('2024-02-29T23:59:59.5+01:00')).toEqual({ ok: true, value: '2024-02-29T22:59:59.500Z' });
    expect(valueChecker(t)('2026-01-31 12:00Z')).toEqual({ ok: true, value: '2026-01-31T12:00:00.000Z' });
  });

  it('a write names the row and column of a padded decimal', () => {
    const table: InputTable = {
      name: 't',
      key: ['id'],
      columns: [
        { name: 'id', type: { kind: 'integer' }, required: true, loc },
        { name: 'amount', type: { kind: 'decimal', precision: 10, scale: 2 }, required: false, loc },
      ],
      scenarios: false,
      permissions: {},
      loc,
    };
    expect(parseRow(table, { id: 1, amount: '1.00' }, 0).details).toEqual([]);
    const { row, details } = parseRow(table, { id: 2, amount: '1 ' }, 3);
    expect(row).toBeUndefined();
    expect(details.map((d) => [d.row, d.column])).toEqual([[3, 'amount']]);
    expect(details[0]!.message).toContain("got '1 '");
  });

  it('as_of / since: ISO 8601 only (a date, or a date-time with a zone)', () => {
    expect(parseTime('2026-01-31')?.toISOString()).toBe('2026-01-31T00:00:00.000Z');
    expect(parseTime('2026-01-31T12:00:00+01:00')?.toISOString()).toBe('2026-01-31T11:00:00.000Z');
    for (const bad of ['yesterday', '1', '2026', 'March 1 2026', ' 2026-01-31', '2026-01-31T12:00:00']) expect(parseTime(bad), bad).toBeNull();
    expect(parseTime(undefined)).toBeUndefined();
  });
});

import { BIGINT, DATE, DOUBLE, DECIMAL, DuckDBBlobValue, DuckDBDateValue, DuckDBDecimalValue, DuckDBIntervalValue, DuckDBListValue, DuckDBTimestampTZValue, DuckDBTimestampValue, FLOAT, INTEGER, LIST, TIMESTAMP, VARCHAR } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { formatType, PG, pgBinary, pgText, pgTypeOf, pgTypeOfName } from '../../../src/sqlsession/pg-types.js';

describe('DuckDB types as Postgres types', () => {
  it('maps each engine type to the Postgres OID a client expects', () => {
    expect(pgTypeOf(INTEGER).oid).toBe(23);
    expect(pgTypeOf(BIGINT).oid).toBe(20);
    expect(pgTypeOf(DOUBLE).oid).toBe(701);
    expect(pgTypeOf(FLOAT).oid).toBe(700);
    expect(pgTypeOf(VARCHAR).oid).toBe(25);
    expect(pgTypeOf(DATE).oid).toBe(1082);
    expect(pgTypeOf(TIMESTAMP).oid).toBe(1114);
    expect(pgTypeOf(LIST(INTEGER)).name).toBe('_int4');
    expect(pgTypeOf(DECIMAL(18, 2))).toEqual({ oid: 1700, name: 'numeric', size: -1, modifier: (18 << 16) + 2 + 4 });
    expect(pgTypeOfName('DECIMAL(18,2)')).toEqual(pgTypeOf(DECIMAL(18, 2)));
    expect(formatType(pgTypeOfName('DECIMAL(18,2)'))).toBe('numeric(18,2)');
    expect(formatType(pgTypeOfName('VARCHAR[]'))).toBe('text[]');
    expect(formatType(PG.timestamptz)).toBe('timestamp with time zone');
  });
});

describe('values in Postgres text format', () => {
  it('writes each kind as a Postgres server does', () => {
    expect(pgText(true)).toBe('t');
    expect(pgText(1.5)).toBe('1.5');
    expect(pgText(Math.fround(0.1), FLOAT)).toBe('0.1');
    expect(pgText(Number.NaN)).toBe('NaN');
    expect(pgText(-Infinity)).toBe('-Infinity');
    expect(pgText(1e21)).toBe('1e+21');
    expect(pgText(123n)).toBe('123');
    expect(pgText(new DuckDBDecimalValue(1250n, 10, 2))).toBe('12.50');
    expect(pgText(new DuckDBDateValue(20_455))).toBe('2026-01-02');
    expect(pgText(new DuckDBTimestampValue(1_767_323_045_500_000n))).toBe('2026-01-02 03:04:05.5');
    expect(pgText(new DuckDBTimestampTZValue(1_767_323_045_000_000n))).toBe('2026-01-02 03:04:05+00');
    expect(pgText(new DuckDBIntervalValue(14, 3, 14_706_000_000n))).toBe('1 year 2 mons 3 days 04:05:06');
    expect(pgText(new DuckDBIntervalValue(0, -1, -1_500_000n))).toBe('-1 days -00:00:01.5');
    expect(pgText(new DuckDBIntervalValue(0, 0, 0n))).toBe('00:00:00');
    expect(pgText(new DuckDBBlobValue(new Uint8Array([0, 255])))).toBe('\\x00ff');
    expect(pgText(new DuckDBListValue(['a', 'b c', null, '', 'x"y']), LIST(VARCHAR))).toBe('{a,"b c",NULL,"","x\\"y"}');
    expect(pgText(null)).toBeNull();
  });
});

describe('values in Postgres binary format', () => {
  it('writes numeric as base-10000 digits with weight, sign and scale', () => {
    const n = (s: string) => [...pgBinary(s, PG.numeric)!];
    expect(n('12.34')).toEqual([0, 2, 0, 0, 0, 0, 0, 2, 0, 12, 13, 72]);
    expect(n('-10000.5')).toEqual([0, 3, 0, 1, 0x40, 0, 0, 1, 0, 1, 0, 0, 19, 136]);
    expect(n('0')).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('writes dates and timestamps from 2000-01-01', () => {
    expect(pgBinary(new DuckDBDateValue(10_958), PG.date)!.readInt32BE()).toBe(1);
    expect(pgBinary(new DuckDBTimestampValue(946_684_800_000_001n), PG.timestamp)!.readBigInt64BE()).toBe(1n);
  });
});

import {
  DuckDBBlobValue,
  DuckDBDateValue,
  DuckDBDecimalValue,
  DuckDBIntervalValue,
  DuckDBListValue,
  DuckDBArrayValue,
  DuckDBMapValue,
  DuckDBStructValue,
  DuckDBTimestampTZValue,
  DuckDBTimestampValue,
  DuckDBTypeId,
  DuckDBUUIDValue,
  type DuckDBType,
  type DuckDBValue,
} from '@duckdb/node-api';
import type { PgType } from './types.js';

/**
 * The one map from DuckDB's types to Postgres' (OIDs as in pg_type) and the encoding of values in
 * Postgres' text and binary formats, as a Postgres server writes them (DateStyle ISO, TimeZone UTC,
 * extra_float_digits 1: shortest exact floats).
 */

const t = (oid: number, name: string, size: number): PgType => ({ oid, name, size, modifier: -1 });

/** The Postgres types the endpoint answers with, by name (pg_type.typname). */
export const PG = {
  bool: t(16, 'bool', 1),
  bytea: t(17, 'bytea', -1),
  char: t(18, 'char', 1),
  name: t(19, 'name', 64),
  int8: t(20, 'int8', 8),
  int2: t(21, 'int2', 2),
  int4: t(23, 'int4', 4),
  text: t(25, 'text', -1),
  oid: t(26, 'oid', 4),
  json: t(114, 'json', -1),
  float4: t(700, 'float4', 4),
  float8: t(701, 'float8', 8),
  varchar: t(1043, 'varchar', -1),
  date: t(1082, 'date', 4),
  time: t(1083, 'time', 8),
  timestamp: t(1114, 'timestamp', 8),
  timestamptz: t(1184, 'timestamptz', 8),
  interval: t(1186, 'interval', 16),
  timetz: t(1266, 'timetz', 12),
  numeric: t(1700, 'numeric', -1),
  uuid: t(2950, 'uuid', 16),
  regclass: t(2205, 'regclass', 4),
  regtype: t(2206, 'regtype', 4),
  _bool: t(1000, '_bool', -1),
  _int2: t(1005, '_int2', -1),
  _int4: t(1007, '_int4', -1),
  _text: t(1009, '_text', -1),
  _int8: t(1016, '_int8', -1),
  _float4: t(1021, '_float4', -1),
  _float8: t(1022, '_float8', -1),
  _date: t(1182, '_date', -1),
  _timestamp: t(1115, '_timestamp', -1),
  _timestamptz: t(1185, '_timestamptz', -1),
  _numeric: t(1231, '_numeric', -1),
  _uuid: t(2951, '_uuid', -1),
  _json: t(199, '_json', -1),
} as const satisfies Record<string, PgType>;

/** What `format_type` prints for each type (SQL-standard names, as psql's `\d` shows them). */
export const FORMAT_NAME: Readonly<Record<string, string>> = {
  bool: 'boolean',
  bytea: 'bytea',
  char: '"char"',
  name: 'name',
  int8: 'bigint',
  int2: 'smallint',
  int4: 'integer',
  text: 'text',
  oid: 'oid',
  json: 'json',
  float4: 'real',
  float8: 'double precision',
  varchar: 'character varying',
  date: 'date',
  time: 'time without time zone',
  timestamp: 'timestamp without time zone',
  timestamptz: 'timestamp with time zone',
  interval: 'interval',
  timetz: 'time with time zone',
  numeric: 'numeric',
  uuid: 'uuid',
  regclass: 'regclass',
  regtype: 'regtype',
};

/** The Postgres type of the element of an array type, by array type name. */
const ELEMENT_OF: Readonly<Record<string, keyof typeof PG>> = {
  _bool: 'bool',
  _int2: 'int2',
  _int4: 'int4',
  _text: 'text',
  _int8: 'int8',
  _float4: 'float4',
  _float8: 'float8',
  _date: 'date',
  _timestamp: 'timestamp',
  _timestamptz: 'timestamptz',
  _numeric: 'numeric',
  _uuid: 'uuid',
  _json: 'json',
};

/** Every type above with its element type OID (0: not an array), for pg_type. */
export function pgTypeRows(): { type: PgType; elem: number; format: string }[] {
  return Object.values(PG).map((type) => {
    const elem = ELEMENT_OF[type.name];
    const format = elem ? `${FORMAT_NAME[elem]}[]` : (FORMAT_NAME[type.name] ?? type.name);
    return { type, elem: elem ? PG[elem].oid : 0, format };
  });
}

/** The Postgres type a DuckDB column type is sent as. */
export function pgTypeOf(type: DuckDBType): PgType {
  switch (type.typeId) {
    case DuckDBTypeId.BOOLEAN:
      return PG.bool;
    case DuckDBTypeId.TINYINT:
    case DuckDBTypeId.SMALLINT:
    case DuckDBTypeId.UTINYINT:
      return PG.int2;
    case DuckDBTypeId.INTEGER:
    case DuckDBTypeId.USMALLINT:
      return PG.int4;
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.UINTEGER:
      return PG.int8;
    case DuckDBTypeId.UBIGINT:
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UHUGEINT:
    case DuckDBTypeId.BIGNUM:
      return PG.numeric;
    case DuckDBTypeId.DECIMAL: {
      const d = type as { width: number; scale: number };
      return { ...PG.numeric, modifier: ((d.width << 16) | d.scale) + 4 };
    }
    case DuckDBTypeId.FLOAT:
      return PG.float4;
    case DuckDBTypeId.DOUBLE:
      return PG.float8;
    case DuckDBTypeId.DATE:
      return PG.date;
    case DuckDBTypeId.TIME:
    case DuckDBTypeId.TIME_NS:
      return PG.time;
    case DuckDBTypeId.TIME_TZ:
      return PG.timetz;
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_S:
    case DuckDBTypeId.TIMESTAMP_MS:
    case DuckDBTypeId.TIMESTAMP_NS:
      return PG.timestamp;
    case DuckDBTypeId.TIMESTAMP_TZ:
      return PG.timestamptz;
    case DuckDBTypeId.INTERVAL:
      return PG.interval;
    case DuckDBTypeId.BLOB:
      return PG.bytea;
    case DuckDBTypeId.UUID:
      return PG.uuid;
    case DuckDBTypeId.STRUCT:
    case DuckDBTypeId.MAP:
    case DuckDBTypeId.UNION:
    case DuckDBTypeId.VARIANT:
      return PG.json;
    case DuckDBTypeId.LIST:
    case DuckDBTypeId.ARRAY: {
      const element = pgTypeOf((type as unknown as { valueType: DuckDBType }).valueType);
      const array = (Object.keys(ELEMENT_OF) as (keyof typeof PG)[]).find((a) => PG[ELEMENT_OF[a]!].oid === element.oid);
      return array ? PG[array] : PG._text;
    }
    case DuckDBTypeId.VARCHAR:
      return type.alias === 'JSON' ? PG.json : PG.text;
    default:
      return PG.text;
  }
}

/** The Postgres type a DuckDB type name (as in duckdb_columns().data_type) is sent as, for the catalog views. */
export function pgTypeOfName(dataType: string): PgType {
  const name = dataType.toUpperCase();
  const decimal = /^DECIMAL\((\d+),\s*(\d+)\)$/.exec(name);
  if (decimal) return { ...PG.numeric, modifier: ((Number(decimal[1]) << 16) | Number(decimal[2])) + 4 };
  if (name.endsWith('[]')) {
    const element = pgTypeOfName(name.slice(0, -2));
    const array = (Object.keys(ELEMENT_OF) as (keyof typeof PG)[]).find((a) => PG[ELEMENT_OF[a]!].oid === element.oid);
    return array ? PG[array] : PG._text;
  }
  if (name.startsWith('STRUCT') || name.startsWith('MAP') || name.startsWith('UNION') || name === 'JSON') return PG.json;
  const simple: Record<string, PgType> = {
    BOOLEAN: PG.bool,
    TINYINT: PG.int2,
    SMALLINT: PG.int2,
    UTINYINT: PG.int2,
    INTEGER: PG.int4,
    USMALLINT: PG.int4,
    BIGINT: PG.int8,
    UINTEGER: PG.int8,
    UBIGINT: PG.numeric,
    HUGEINT: PG.numeric,
    UHUGEINT: PG.numeric,
    FLOAT: PG.float4,
    DOUBLE: PG.float8,
    DATE: PG.date,
    TIME: PG.time,
    'TIME WITH TIME ZONE': PG.timetz,
    TIMESTAMP: PG.timestamp,
    TIMESTAMP_S: PG.timestamp,
    TIMESTAMP_MS: PG.timestamp,
    TIMESTAMP_NS: PG.timestamp,
    'TIMESTAMP WITH TIME ZONE': PG.timestamptz,
    INTERVAL: PG.interval,
    BLOB: PG.bytea,
    UUID: PG.uuid,
  };
  return simple[name] ?? PG.text;
}

/** `format_type(oid, typmod)`: `numeric(12,2)`, `text`, `integer[]`. */
export function formatType(type: PgType): string {
  const row = pgTypeRows().find((r) => r.type.oid === type.oid);
  const base = row?.format ?? type.name;
  if (type.oid === PG.numeric.oid && type.modifier >= 4) {
    const m = type.modifier - 4;
    return `numeric(${m >> 16},${m & 0xffff})`;
  }
  return base;
}

/** Shortest text of a float4 that reads back as the same float4 (Postgres' default output). */
function float4Text(n: number): string {
  for (let p = 1; p <= 9; p++) {
    const s = n.toPrecision(p);
    if (Math.fround(Number(s)) === n) return String(Number(s));
  }
  return String(n);
}

function floatText(n: number, single: boolean): string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return 'Infinity';
  if (n === -Infinity) return '-Infinity';
  if (Object.is(n, -0)) return '-0';
  const s = single ? float4Text(n) : String(n);
  return s.replace(/e\+?/, 'e+').replace('e+-', 'e-');
}

const pad = (n: number | bigint, width = 2) => String(n).padStart(width, '0');

/** Postgres' interval output (IntervalStyle postgres): `1 year 2 mons 3 days 04:05:06.5`. */
function intervalText(v: DuckDBIntervalValue): string {
  const parts: string[] = [];
  const years = Math.trunc(v.months / 12);
  const months = v.months % 12;
  const plural = (n: number, unit: string, many: string) => `${n} ${n === 1 ? unit : many}`;
  if (years !== 0) parts.push(plural(years, 'year', 'years'));
  if (months !== 0) parts.push(plural(months, 'mon', 'mons'));
  if (v.days !== 0) parts.push(plural(v.days, 'day', 'days'));
  if (v.micros !== 0n || parts.length === 0) {
    const negative = v.micros < 0n;
    let us = negative ? -v.micros : v.micros;
    const hours = us / 3_600_000_000n;
    us %= 3_600_000_000n;
    const minutes = us / 60_000_000n;
    us %= 60_000_000n;
    const seconds = us / 1_000_000n;
    const fraction = us % 1_000_000n;
    let time = `${negative ? '-' : ''}${pad(hours)}:${pad(minutes)}:${pad(seconds)}`;
    if (fraction !== 0n) time += `.${pad(fraction, 6).replace(/0+$/, '')}`;
    parts.push(time);
  }
  return parts.join(' ');
}

/** DuckDB prints timestamps as Postgres does, except infinities; `+00` for timestamptz in UTC. */
function timestampText(v: DuckDBValue, tz: boolean): string {
  const s = String(v);
  if (s === 'infinity' || s === '-infinity') return s;
  return tz && !/[+-]\d\d(:\d\d)?$/.test(s) ? `${s}+00` : s;
}

/** One element of an array literal, quoted when Postgres would. */
function arrayElement(v: DuckDBValue, type: DuckDBType | undefined): string {
  if (v === null) return 'NULL';
  const text = pgText(v, type);
  if (text === null) return 'NULL';
  if (text === '' || /[{}",\\\s]/.test(text) || text.toUpperCase() === 'NULL') return `"${text.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
  return text;
}

/** A value as JSON (structs, maps, unions as Postgres' json). */
function jsonOf(v: DuckDBValue): unknown {
  if (v === null) return null;
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
  if (v instanceof DuckDBListValue || v instanceof DuckDBArrayValue) return v.items.map(jsonOf);
  if (v instanceof DuckDBStructValue) return Object.fromEntries(Object.entries(v.entries).map(([k, x]) => [k, jsonOf(x)]));
  if (v instanceof DuckDBMapValue) return Object.fromEntries(v.entries.map((e) => [String(e.key), jsonOf(e.value)]));
  return String(v);
}

/** A DuckDB value in Postgres text format (null for SQL NULL). */
export function pgText(v: DuckDBValue, type?: DuckDBType): string | null {
  if (v === null) return null;
  if (typeof v === 'boolean') return v ? 't' : 'f';
  if (typeof v === 'number') return floatText(v, type?.typeId === DuckDBTypeId.FLOAT);
  if (typeof v === 'bigint' || typeof v === 'string') return String(v);
  if (v instanceof DuckDBDecimalValue) return v.toString();
  if (v instanceof DuckDBBlobValue) return `\\x${Buffer.from(v.bytes).toString('hex')}`;
  if (v instanceof DuckDBIntervalValue) return intervalText(v);
  if (v instanceof DuckDBTimestampTZValue) return timestampText(v, true);
  if (v instanceof DuckDBTimestampValue) return timestampText(v, false);
  if (v instanceof DuckDBListValue || v instanceof DuckDBArrayValue) {
    const element = (type as unknown as { valueType?: DuckDBType } | undefined)?.valueType;
    return `{${v.items.map((x) => arrayElement(x, element)).join(',')}}`;
  }
  if (v instanceof DuckDBStructValue || v instanceof DuckDBMapValue) return JSON.stringify(jsonOf(v));
  return String(v);
}

const PG_EPOCH_DAYS = 10_957; // 2000-01-01 − 1970-01-01
const PG_EPOCH_MICROS = BigInt(PG_EPOCH_DAYS) * 86_400_000_000n;

/** Postgres' binary numeric: base-10000 digits, weight, sign, display scale. */
function numericBinary(text: string): Buffer {
  if (text === 'NaN') return Buffer.from([0, 0, 0, 0, 0xc0, 0, 0, 0]);
  const negative = text.startsWith('-');
  const [intPart = '0', fracPart = ''] = text.replace(/^[-+]/, '').split('.');
  const dscale = fracPart.length;
  const intDigits = intPart.replace(/^0+/, '');
  const intPadded = intDigits.padStart(Math.ceil(intDigits.length / 4) * 4, '0');
  const fracPadded = fracPart.padEnd(Math.ceil(fracPart.length / 4) * 4, '0');
  const groups: number[] = [];
  for (let i = 0; i < intPadded.length; i += 4) groups.push(Number(intPadded.slice(i, i + 4)));
  let weight = groups.length - 1;
  for (let i = 0; i < fracPadded.length; i += 4) groups.push(Number(fracPadded.slice(i, i + 4)));
  while (groups.length > 0 && groups[0] === 0) {
    groups.shift();
    weight--;
  }
  while (groups.length > 0 && groups[groups.length - 1] === 0) groups.pop();
  if (groups.length === 0) weight = 0;
  const buf = Buffer.alloc(8 + groups.length * 2);
  buf.writeInt16BE(groups.length, 0);
  buf.writeInt16BE(weight, 2);
  buf.writeUInt16BE(negative && groups.length > 0 ? 0x4000 : 0, 4);
  buf.writeInt16BE(dscale, 6);
  groups.forEach((g, i) => buf.writeUInt16BE(g, 8 + i * 2));
  return buf;
}

/** Whether a Postgres type has a binary encoding here (others are sent as text even when binary is asked). */
export function hasBinary(type: PgType): boolean {
  return [16, 17, 20, 21, 23, 25, 700, 701, 1043, 1082, 1114, 1184, 2950, 1700, 114].includes(type.oid);
}

/** A DuckDB value in Postgres binary format for `type` (see `hasBinary`); null for SQL NULL. */
export function pgBinary(v: DuckDBValue, type: PgType, duckType?: DuckDBType): Buffer | null {
  if (v === null) return null;
  switch (type.oid) {
    case 16:
      return Buffer.from([v === true ? 1 : 0]);
    case 21: {
      const b = Buffer.alloc(2);
      b.writeInt16BE(Number(v));
      return b;
    }
    case 23: {
      const b = Buffer.alloc(4);
      b.writeInt32BE(Number(v));
      return b;
    }
    case 20: {
      const b = Buffer.alloc(8);
      b.writeBigInt64BE(BigInt(v as bigint | number));
      return b;
    }
    case 700: {
      const b = Buffer.alloc(4);
      b.writeFloatBE(Number(v));
      return b;
    }
    case 701: {
      const b = Buffer.alloc(8);
      b.writeDoubleBE(Number(v));
      return b;
    }
    case 17:
      return v instanceof DuckDBBlobValue ? Buffer.from(v.bytes) : Buffer.from(String(v));
    case 1082: {
      const b = Buffer.alloc(4);
      b.writeInt32BE(v instanceof DuckDBDateValue ? v.days - PG_EPOCH_DAYS : 0);
      return b;
    }
    case 1114:
    case 1184: {
      const b = Buffer.alloc(8);
      const micros = v instanceof DuckDBTimestampValue || v instanceof DuckDBTimestampTZValue ? v.micros : 0n;
      b.writeBigInt64BE(micros - PG_EPOCH_MICROS);
      return b;
    }
    case 2950:
      return v instanceof DuckDBUUIDValue ? Buffer.from(v.toString().replace(/-/g, ''), 'hex') : Buffer.from(String(v).replace(/-/g, ''), 'hex');
    case 1700:
      return numericBinary(pgText(v, duckType) ?? '0');
    default:
      return Buffer.from(pgText(v, duckType) ?? '', 'utf8');
  }
}

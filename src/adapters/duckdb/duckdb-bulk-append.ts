import { DuckDBTimestampValue, type DuckDBConnection } from '@duckdb/node-api';
import type { BulkKind, BulkRows, BulkTarget } from '../adapter.js';

/**
 * Append rows to a table whose columns are exactly `kinds` (in physical order), inside the
 * connection's open transaction, through DuckDB's Appender. Each column's kind is looked up once per
 * call, so the per-value work is a switch and one call into DuckDB. (Measured: appending data
 * chunks through `DuckDBDataChunk` vectors is slower here — its text vectors cache every value in
 * JS arrays before copying them one by one — so rows are appended value by value.)
 */
export async function appendWithAppender(connection: DuckDBConnection, target: BulkTarget, kinds: readonly BulkKind[], rows: BulkRows): Promise<void> {
  if (rows.count === 0) return;
  const appender = target.schema ? await connection.createAppender(target.table, target.schema) : await connection.createAppender(target.table, 'main', 'temp');
  try {
    if (appender.columnCount !== kinds.length)
      throw new Error(`appending ${kinds.length} columns to ${target.table}, which has ${appender.columnCount}`);
    // the kind of each column as a small number, switched on inline (no call per value through an array of closures)
    const kind = kinds.map((k) => KIND_CODE[k]);
    const n = kind.length;
    const msStamps = new TimestampCache();
    const isoStamps = new TimestampCache();
    for (let r = 0; r < rows.count; r++) {
      for (let c = 0; c < n; c++) {
        const v = rows.value(r, c);
        if (v === null || v === undefined) appender.appendNull();
        else
          switch (kind[c]) {
            case VARCHAR:
              appender.appendVarchar(typeof v === 'string' ? v : String(v));
              break;
            case BIGINT:
              appender.appendBigInt(BigInt(v as number | string));
              break;
            case DOUBLE:
              appender.appendDouble(Number(v));
              break;
            case BOOLEAN:
              appender.appendBoolean(v === true || v === 'true');
              break;
            case TIMESTAMP_MS:
              appender.appendTimestamp(msStamps.ofMs(v as number));
              break;
            default:
              appender.appendTimestamp(isoStamps.ofMs(Date.parse(v as string)));
          }
      }
      appender.endRow();
    }
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
}

const VARCHAR = 0;
const BIGINT = 1;
const DOUBLE = 2;
const BOOLEAN = 3;
const TIMESTAMP_MS = 4;
const TIMESTAMP_ISO = 5;
const KIND_CODE: Record<BulkKind, number> = {
  varchar: VARCHAR,
  bigint: BIGINT,
  double: DOUBLE,
  boolean: BOOLEAN,
  'timestamp-ms': TIMESTAMP_MS,
  'timestamp-iso': TIMESTAMP_ISO,
};

/** The last timestamp value made (a group's entries share one `_at`): one object instead of one per row. */
class TimestampCache {
  private ms = Number.NaN;
  private value: DuckDBTimestampValue | undefined;

  ofMs(ms: number): DuckDBTimestampValue {
    if (ms !== this.ms || !this.value) {
      this.ms = ms;
      this.value = new DuckDBTimestampValue(BigInt(ms) * 1000n);
    }
    return this.value;
  }
}

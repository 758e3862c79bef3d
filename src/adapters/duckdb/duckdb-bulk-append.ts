import { DuckDBTimestampValue, type DuckDBAppender, type DuckDBConnection } from '@duckdb/node-api';
import type { BulkKind, BulkRows, BulkTarget } from '../adapter.js';

/**
 * Append rows to a table whose columns are exactly `kinds` (in physical order), inside the
 * connection's open transaction, through DuckDB's Appender. Each column's append function is
 * chosen once per call, so the per-value work is one call into DuckDB. (Measured: appending data
 * chunks through `DuckDBDataChunk` vectors is slower here — its text vectors cache every value in
 * JS arrays before copying them one by one — so rows are appended value by value.)
 */
export async function appendWithAppender(connection: DuckDBConnection, target: BulkTarget, kinds: readonly BulkKind[], rows: BulkRows): Promise<void> {
  if (rows.count === 0) return;
  const appender = target.schema ? await connection.createAppender(target.table, target.schema) : await connection.createAppender(target.table, 'main', 'temp');
  try {
    if (appender.columnCount !== kinds.length)
      throw new Error(`appending ${kinds.length} columns to ${target.table}, which has ${appender.columnCount}`);
    const put = kinds.map((k) => appendFunction(appender, k));
    const n = put.length;
    for (let r = 0; r < rows.count; r++) {
      for (let c = 0; c < n; c++) {
        const v = rows.value(r, c);
        if (v === null || v === undefined) appender.appendNull();
        else put[c]!(v);
      }
      appender.endRow();
    }
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
}

/** The Appender call of one kind of column (for a non-null value). */
function appendFunction(appender: DuckDBAppender, kind: BulkKind): (v: string | number | boolean) => void {
  switch (kind) {
    case 'varchar':
      return (v) => appender.appendVarchar(typeof v === 'string' ? v : String(v));
    case 'bigint':
      return (v) => appender.appendBigInt(BigInt(v as number | string));
    case 'double':
      return (v) => appender.appendDouble(Number(v));
    case 'boolean':
      return (v) => appender.appendBoolean(v === true || v === 'true');
    case 'timestamp-ms': {
      const cache = new TimestampCache();
      return (v) => appender.appendTimestamp(cache.ofMs(v as number));
    }
    case 'timestamp-iso': {
      const cache = new TimestampCache();
      return (v) => appender.appendTimestamp(cache.ofMs(Date.parse(v as string)));
    }
  }
}
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

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBAdapter } from '../../../src/adapters/duckdb/duckdb-adapter.js';
import { getDialect } from '../../../src/dialects/registry.js';
import { toJson } from '../../../src/http/to-json.js';
import { csvField } from '../../../src/server/stream-rows.js';

// Values a model may hold that a JS Date or JSON cannot: read as text, never a failed read or a silent null.
const EDGE = `select 'infinity'::date as d_inf, '-infinity'::date as d_neg, 'infinity'::timestamp as t_inf,
  '-infinity'::timestamptz as tz_neg, timestamp '290000-01-01 00:00:00' as t_far, timestamp '2026-01-01 00:00:00.123' as t_ok,
  date '2026-02-03' as d_ok, 'nan'::double as nan, 'inf'::double as inf, '-inf'::double as ninf, 1.5::double as x,
  '\\x00\\xff'::blob as bl, [1.5::double, 'nan'::double] as lst, 'infinity'::timestamp_s as s_inf, '-infinity'::timestamp_ms as ms_neg,
  'infinity'::timestamp_ns as ns_inf, timestamptz '290000-01-01 00:00:00+00' as tz_far, timestamp '290000-06-01 12:00:00.5' as t_frac,
  make_timestamp(-290000::bigint, 1, 1, 0, 0, 0) as t_bc`;

let dir: string;
let db: DuckDBAdapter;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wb-edge-'));
  db = await DuckDBAdapter.open(join(dir, 'x.duckdb'), getDialect('duckdb'));
});
afterAll(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('DuckDB values beyond JS Date and JSON, as reads return them', () => {
  it('infinite and far dates and timestamps are text; NaN and infinities are text in JSON; binary is base64', async () => {
    const stream = await db.stream(EDGE);
    const rows = [];
    for await (const chunk of stream.chunks()) rows.push(...chunk);
    const [queried] = await db.query(EDGE);
    for (const row of [rows[0]!, queried!]) {
      expect(row).toMatchObject({ d_inf: 'infinity', d_neg: '-infinity', t_inf: 'infinity', tz_neg: '-infinity', d_ok: '2026-02-03', x: 1.5 });
      // every precision's infinity, never the largest instant it can count to
      expect(row).toMatchObject({ s_inf: 'infinity', ms_neg: '-infinity', ns_inf: 'infinity' });
      // past a JS Date: ISO 8601 with an expanded year, in UTC
      expect(row).toMatchObject({ t_far: '+290000-01-01T00:00:00Z', tz_far: '+290000-01-01T00:00:00Z', t_frac: '+290000-06-01T12:00:00.5Z', t_bc: '-290000-01-01T00:00:00Z' });
      expect(row.t_ok).toEqual(new Date('2026-01-01T00:00:00.123Z'));
      const json = JSON.parse(toJson(row)) as Record<string, unknown>;
      expect(json).toMatchObject({ nan: 'NaN', inf: 'Infinity', ninf: '-Infinity', bl: 'AP8=', lst: [1.5, 'NaN'], t_ok: '2026-01-01T00:00:00.123Z' });
      expect([row.nan, row.inf, row.bl].map(csvField)).toEqual(['NaN', 'Infinity', 'AP8=']);
    }
  });
});

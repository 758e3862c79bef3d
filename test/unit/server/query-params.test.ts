import { describe, expect, it } from 'vitest';
import { HistoryQuerySchema, ModelRowsQuerySchema, RowsQuerySchema } from '../../../src/http/wire-schemas.js';
import { documentOfRoutes } from './document.js';
import { READ_LIMITS } from '../../../src/write/read-rows.js';

describe('query parameters of the read routes', () => {
  it('limit: digits only, 1 to the one maximum (READ_LIMITS) for input and model rows', () => {
    for (const schema of [RowsQuerySchema, ModelRowsQuerySchema]) {
      expect(schema.parse({ limit: '1' }).limit).toBe(1);
      expect(schema.parse({ limit: String(READ_LIMITS.max) }).limit).toBe(READ_LIMITS.max);
      expect(schema.parse({}).limit).toBeUndefined();
      for (const bad of ['0', '-1', String(READ_LIMITS.max + 1), '99999999999', 'abc', '', ' 5', '5 ', '1e3', '0x10', '5.0', '+5']) {
        const r = schema.safeParse({ limit: bad });
        expect(r.success, `${bad}`).toBe(false);
        if (!r.success) expect(r.error.issues.map((i) => i.path.join('.'))).toEqual(['limit']);
      }
    }
    expect(HistoryQuerySchema.parse({ limit: '100000' }).limit).toBe(100000);
    expect(HistoryQuerySchema.safeParse({ limit: '100001' }).success).toBe(false);
  });

  it('format, as_of and unknown parameters are checked', () => {
    expect(ModelRowsQuerySchema.safeParse({ format: 'xml' }).success).toBe(false);
    expect(RowsQuerySchema.safeParse({ as_of: 'yesterday' }).success).toBe(false);
    expect(RowsQuerySchema.safeParse({ as_of: '2026-01-31T12:00:00' }).success).toBe(false);
    expect(RowsQuerySchema.safeParse({ as_of: '2026-01-31T12:00:00Z' }).success).toBe(true);
    expect(ModelRowsQuerySchema.safeParse({ offset: '3' }).success).toBe(false);
  });

  it('the OpenAPI document takes the read parameters from the same schemas (pattern, description)', () => {
    const doc = documentOfRoutes() as unknown as { paths: Record<string, { get?: { parameters: { name: string; in: string; required: boolean; schema: Record<string, unknown>; description?: string }[] } }> };
    const params = (path: string) => Object.fromEntries(doc.paths[path]!.get!.parameters.map((p) => [p.name, p]));
    for (const path of ['/inputs/{table}/rows', '/models/{model}/rows']) {
      const limit = params(path).limit!;
      expect(limit).toMatchObject({ in: 'query', required: false, schema: { type: 'string', pattern: '^[0-9]{1,9}$' } });
      expect(limit.description).toContain(`1 to ${READ_LIMITS.max}`);
      expect(params(path).scenario!.description).toMatch(/invalid name is 400.*404/);
    }
    expect(params('/models/{model}/rows').format!.schema).toMatchObject({ enum: ['json', 'csv'] });
    expect(params('/scenarios/compare').a).toMatchObject({ required: true });
    expect(params('/scenarios/compare').table).toMatchObject({ required: false });
  });
});

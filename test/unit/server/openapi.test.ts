import { describe, expect, it } from 'vitest';
import { openApiDocument } from '../../../src/server/openapi.js';

describe('openApiDocument', () => {
  const doc = openApiDocument({ bodyLimitBytes: 1024 });

  it('lists every route of /api/v1', () => {
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/inputs',
      '/inputs/{table}/actions/{action}',
      '/inputs/{table}/delete',
      '/inputs/{table}/history',
      '/inputs/{table}/pending',
      '/inputs/{table}/pending/{id}/approve',
      '/inputs/{table}/pending/{id}/reject',
      '/inputs/{table}/reset',
      '/inputs/{table}/rows',
      '/inputs/{table}/webhook-calls',
      '/models/{model}/rows',
      '/scenarios',
      '/scenarios/compare',
      '/scenarios/{name}/archive',
      '/scenarios/{name}/promote',
    ]);
  });

  it('generates component schemas from zod, and every $ref resolves', () => {
    const text = JSON.stringify(doc);
    const refs = [...text.matchAll(/"\$ref":"#\/components\/(schemas|responses)\/(\w+)"/g)];
    expect(refs.length).toBeGreaterThan(10);
    const components = doc.components as unknown as Record<string, Record<string, unknown>>;
    for (const [, kind, id] of refs) expect(components[kind!]![id!], `${kind}/${id}`).toBeDefined();
    expect(components.schemas!.WriteRequest).toMatchObject({ type: 'object', required: ['rows'], additionalProperties: false });
    expect(text).not.toContain('"$schema"');
  });
});

import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { API_ERROR_CODES, statusOf } from '../../../src/http/api-error.js';
import { documentOfRoutes } from './document.js';

type Operation = { operationId?: string; responses: Record<string, { content?: Record<string, { schema: Record<string, unknown> }> }> };

describe('the OpenAPI document generated from the route definitions', () => {
  const doc = documentOfRoutes();
  const operations = Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => method === 'get' || method === 'post')
      .map(([method, op]) => ({ path, method, op: op as Operation })),
  );

  it('is a valid OpenAPI 3.1 document (third-party validator)', async () => {
    const result = await new Validator().validate(structuredClone(doc) as Parameters<Validator['validate']>[0]);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('gives every operation a unique operationId', () => {
    const ids = operations.map((o) => o.op.operationId);
    expect(ids.every((id) => typeof id === 'string' && /^[a-z][A-Za-z]+$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('documents the routes the issue found missing, 202 for pending writes and every history op', () => {
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/me', '/inputs/{table}/context', '/inputs/{table}/columns/{column}/values', '/admin/apply', '/healthz']));
    const write = doc.paths['/inputs/{table}/rows']!.post as unknown as Operation;
    expect(Object.keys(write.responses)).toEqual(expect.arrayContaining(['200', '202', '400', '401', '403', '404', '409', '413', '422', '500', '503']));
    const history = JSON.stringify(doc.components.schemas.HistoryEntry);
    for (const op of ['upsert', 'delete', 'reset', 'propose_upsert', 'propose_delete', 'reject']) expect(history).toContain(`"${op}"`);
  });

  it('types every JSON answer: no bare object', () => {
    for (const { path, method, op } of operations) {
      for (const [status, r] of Object.entries(op.responses)) {
        const schema = r.content?.['application/json']?.schema;
        if (!schema) continue;
        expect(schema, `${method} ${path} ${status}`).not.toEqual({ type: 'object' });
        expect(JSON.stringify(schema), `${method} ${path} ${status}`).toMatch(/\$ref/);
      }
    }
  });

  it('lists for each error status exactly the codes of that status', () => {
    for (const { path, method, op } of operations) {
      for (const [status, r] of Object.entries(op.responses)) {
        if (Number(status) < 400 || !r.content?.['application/json']) continue;
        const schema = JSON.stringify(r.content?.['application/json']?.schema ?? {});
        const codes = /"enum":(\[[^\]]*\])/.exec(schema);
        expect(codes, `${method} ${path} ${status}`).not.toBeNull();
        for (const code of JSON.parse(codes![1]!) as string[]) {
          expect(API_ERROR_CODES).toContain(code);
          expect(statusOf(code as never), `${method} ${path} ${code}`).toBe(Number(status));
        }
      }
    }
  });

  it('resolves every $ref', () => {
    const text = JSON.stringify(doc);
    const refs = [...text.matchAll(/"\$ref":"#\/components\/schemas\/(\w+)"/g)];
    expect(refs.length).toBeGreaterThan(30);
    for (const [, id] of refs) expect(doc.components.schemas[id!], id).toBeDefined();
    expect(doc.components.schemas.WriteRequest).toMatchObject({ type: 'object', required: ['rows'], additionalProperties: false });
    expect(text).not.toContain('"$schema"');
  });
});

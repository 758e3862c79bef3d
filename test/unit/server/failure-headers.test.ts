import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { apiError, failureResponse } from '../../../src/http/api-error.js';
import { sendFailure } from '../../../src/http/parse-request.js';

// One rule for every answer: `unavailable` (retrying may cure it) says when to retry; nothing else does.
describe('failure responses', () => {
  const app = new Hono();
  app.get('/:code', (c) => sendFailure(c, apiError(c.req.param('code') as 'unavailable', 'x')));

  it('unavailable carries Retry-After, whether sent in a route or outside one', async () => {
    for (const res of [await app.request('/unavailable'), failureResponse(apiError('unavailable', 'the server is shutting down'))]) {
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('1');
      expect(await res.json()).toEqual({ error: { code: 'unavailable', message: expect.any(String), details: [] } });
    }
  });

  it('no other failure does, 503 apply_required included (retrying does not help until an apply)', async () => {
    for (const code of ['apply_required', 'validation_failed', 'conflict', 'internal', 'unauthorized']) {
      const res = await app.request(`/${code}`);
      expect(res.headers.get('retry-after'), code).toBeNull();
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe(code);
    }
  });
});

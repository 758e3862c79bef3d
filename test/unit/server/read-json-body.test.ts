import { describe, expect, it } from 'vitest';
import { readJsonBody } from '../../../src/http/read-json-body.js';

const post = (body: string | ReadableStream<Uint8Array> | null, type = 'application/json', extra: Record<string, string> = {}) =>
  new Request('http://x/', { method: 'POST', body, headers: { 'content-type': type, ...extra }, ...(body instanceof ReadableStream ? { duplex: 'half' } : {}) } as RequestInit);

function chunked(parts: string[]): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  return new ReadableStream({
    start(c) {
      parts.forEach((p) => c.enqueue(enc.encode(p)));
      c.close();
    },
  });
}

describe('readJsonBody', () => {
  it('parses JSON', async () => {
    expect(await readJsonBody(post('{"rows":[1]}'), 100)).toEqual({ ok: true, value: { rows: [1] } });
    expect((await readJsonBody(post('{"a":1}', 'application/json; charset=utf-8'), 100)).ok).toBe(true);
  });

  it('rejects a wrong content type, malformed and empty bodies with 400', async () => {
    const wrongType = await readJsonBody(post('{}', 'text/plain'), 100);
    const malformed = await readJsonBody(post('{"rows": [', 'application/json'), 100);
    const empty = await readJsonBody(post(''), 100);
    for (const [r, code] of [[wrongType, 'unsupported_media_type'], [malformed, 'bad_request'], [empty, 'bad_request']] as const) {
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.failure.status).toBe(400);
        expect(r.failure.body.error.code).toBe(code);
      }
    }
  });

  it('reads a body of declared length whole, and still refuses invalid UTF-8 in it', async () => {
    const body = '{"rows":[{"id":"é"}]}';
    const length = String(Buffer.byteLength(body));
    expect(await readJsonBody(post(body, 'application/json', { 'content-length': length }), 100)).toEqual({ ok: true, value: { rows: [{ id: 'é' }] } });
    const invalid = new Request('http://x/', { method: 'POST', body: new Uint8Array([0x7b, 0xff, 0x7d]), headers: { 'content-type': 'application/json', 'content-length': '3' } });
    expect(await readJsonBody(invalid, 100)).toMatchObject({ ok: false, failure: { status: 400, body: { error: { message: 'request body is not valid UTF-8' } } } });
  });

  it('rejects bodies above the limit, declared or streamed, with 413', async () => {
    const declared = await readJsonBody(post('x'.repeat(200), 'application/json', { 'content-length': '200' }), 100);
    const streamed = await readJsonBody(post(chunked(['{"a":"', 'x'.repeat(150), '"}'])), 100);
    for (const r of [declared, streamed]) {
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.failure).toMatchObject({ status: 413, body: { error: { code: 'payload_too_large' } } });
    }
  });
});

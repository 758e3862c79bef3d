import { apiError, type ApiFailure } from './api-error.js';

/** Default limit of a request body: 10 MiB (about 50,000 rows of a typical input table). */
export const DEFAULT_BODY_LIMIT_BYTES = 10 * 1024 * 1024;

/** Default limit of an admin request body (CLI bulk loads through a running server): 256 MiB. */
export const DEFAULT_ADMIN_BODY_LIMIT_BYTES = 256 * 1024 * 1024;

/** A parsed body, or the failure to send. */
export type BodyResult = { ok: true; value: unknown } | { ok: false; failure: ApiFailure };

/**
 * Read a JSON request body: `Content-Type` must be `application/json` (400 otherwise), the body
 * at most `limit` bytes (413, checked on `Content-Length` and again while reading, so a
 * chunked upload cannot get past it), and well-formed JSON (400).
 */
export async function readJsonBody(request: Request, limit: number): Promise<BodyResult> {
  const type = request.headers.get('content-type') ?? '';
  if (!/^application\/([a-z0-9.+-]*\+)?json\s*(;|$)/i.test(type)) {
    return fail(apiError('unsupported_media_type', `expected Content-Type: application/json, got '${type || 'none'}'`));
  }
  const tooLarge = () => fail(apiError('payload_too_large', `request body exceeds the limit of ${limit} bytes`, [{ message: `limit: ${limit} bytes` }]));
  const declared = Number(request.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > limit) return tooLarge();
  let bytes: Uint8Array;
  try {
    const read = await readBytes(request, Number.isFinite(declared), limit);
    if (read === 'empty') return fail(apiError('bad_request', 'request body is empty; expected a JSON object'));
    if (read === 'too-large') return tooLarge();
    bytes = read;
  } catch (err) {
    // the client closed the connection, or reset it, while sending: nobody reads the answer, and it is no server error
    if (clientWentAway(err)) return fail(apiError('bad_request', 'the request body was cut short (the connection closed while it was sent)'));
    throw err;
  }
  let text: string;
  try {
    text = DECODER.decode(bytes);
  } catch {
    return fail(apiError('bad_request', 'request body is not valid UTF-8'));
  }
  if (text.trim() === '') return fail(apiError('bad_request', 'request body is empty; expected a JSON object'));
  try {
    // `__proto__` keys would be dropped silently further on (objects, zod): refuse them (the reviver only runs when one may be present)
    const suspicious = text.includes('__proto__') || text.includes('\\u');
    return { ok: true, value: suspicious ? JSON.parse(text, refuseProtoKey) : JSON.parse(text) };
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    return fail(apiError('bad_request', `malformed JSON: ${reason}`));
  }
}

/** The body's bytes: whole where its length is declared (the HTTP parser bounds it), else streamed up to `limit`. */
async function readBytes(request: Request, declared: boolean, limit: number): Promise<Uint8Array | 'empty' | 'too-large'> {
  // the Node server adapter reads a declared length straight from the socket, without building a stream
  if (declared) return new Uint8Array(await request.arrayBuffer());
  if (!request.body) return 'empty';
  const reader = request.body.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return Buffer.concat(parts);
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      return 'too-large';
    }
    parts.push(value);
  }
}

/** Whether reading a body failed because its client went away (Node: `aborted`, a reset, an aborted request signal). */
function clientWentAway(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown; name?: unknown } | null;
  return e?.code === 'ECONNRESET' || e?.code === 'ECONNABORTED' || e?.name === 'AbortError' || e?.message === 'aborted';
}

const DECODER = new TextDecoder('utf-8', { fatal: true });

function refuseProtoKey(key: string, value: unknown): unknown {
  if (key === '__proto__') throw new SyntaxError('the key "__proto__" is not allowed');
  return value;
}

function fail(failure: ApiFailure): BodyResult {
  return { ok: false, failure };
}

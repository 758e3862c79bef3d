/**
 * JSON.stringify that keeps big integers exact (as strings), binary readable (base64) and numbers
 * JSON has no literal for as text (`"NaN"`, `"Infinity"`, `"-Infinity"`, as Postgres's `to_json`
 * does) rather than `null`, which is SQL NULL.
 */
export function toJson(value: unknown): string {
  return JSON.stringify(value, function (this: Record<string, unknown>, key: string, v: unknown) {
    // a Buffer's own toJSON has run by now: look at the value it came from
    const raw = this[key];
    if (raw instanceof Uint8Array) return base64(raw);
    if (typeof v === 'bigint') return v.toString();
    if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
    return v;
  });
}

/** A 200 JSON response written with {@link toJson}. */
export function jsonResponse(value: unknown, status = 200): Response {
  return new Response(toJson(value), { status, headers: { 'content-type': 'application/json; charset=utf-8' } });
}

/** Binary as text on the wire (JSON and CSV). */
export function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

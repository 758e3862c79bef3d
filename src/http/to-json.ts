/** JSON.stringify that keeps big integers exact (as strings) and binary readable (base64). */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    typeof v === 'bigint' ? v.toString() : v instanceof Uint8Array ? Buffer.from(v).toString('base64') : v,
  );
}

/** A 200 JSON response written with {@link toJson}. */
export function jsonResponse(value: unknown, status = 200): Response {
  return new Response(toJson(value), { status, headers: { 'content-type': 'application/json; charset=utf-8' } });
}

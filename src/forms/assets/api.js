// The /api/v1 client of the pages. The token lives in sessionStorage only (gone when the tab closes).

const TOKEN_KEY = 'writeback.token';

/** The token of this browser tab, or null. */
export function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

/** Keep `value` as this tab's token (null signs out). */
export function setToken(value) {
  if (value) sessionStorage.setItem(TOKEN_KEY, value);
  else sessionStorage.removeItem(TOKEN_KEY);
}

/**
 * Call the API. Resolves to `{ ok, status, body }`; `body.error` = `{ code, message, details }` on failure.
 * Network failures come back as status 0 with code `network`.
 * @param {string} method
 * @param {string} path
 * @param {unknown} [json]
 */
export async function api(method, path, json) {
  const headers = { accept: 'application/json' };
  const t = token();
  if (t) headers.authorization = `Bearer ${t}`;
  if (json !== undefined) headers['content-type'] = 'application/json';
  let res;
  try {
    res = await fetch(path, { method, headers, body: json === undefined ? undefined : JSON.stringify(json) });
  } catch (err) {
    return { ok: false, status: 0, body: { error: { code: 'network', message: `the server did not answer (${err.message})`, details: [] } } };
  }
  let body = null;
  try {
    body = await res.json();
  } catch {
    body = { error: { code: 'internal', message: `unexpected answer (${res.status})`, details: [] } };
  }
  return { ok: res.ok, status: res.status, body };
}

/** A query string from an object (undefined values left out). */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

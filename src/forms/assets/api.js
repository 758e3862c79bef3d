// The /api/v1 client of the pages. The token lives in sessionStorage only (gone when the tab closes).
// Signed in by a browser session (OpenID Connect), every non-GET request carries the session's CSRF token.

const TOKEN_KEY = 'writeback.token';
let csrfToken = null;
let sessionListener = null;

/** Keep the CSRF token of the browser session (`csrf_token` of /api/v1/me; null without a session). */
export function setCsrfToken(value) {
  csrfToken = value ?? null;
}

/**
 * Be told when the browser session stops working (`listener({ signIn })`, a 401 naming where to sign
 * in) and when requests succeed again (`listener(null)`).
 */
export function onSessionChange(listener) {
  sessionListener = listener;
}

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
  const res = await send(method, path, json);
  // A new session (signed in again in another tab) has a new CSRF token: fetch it once, then retry.
  if (res.status === 403 && method !== 'GET' && res.body?.error?.details?.some((d) => d.csrf)) {
    const me = await send('GET', '/api/v1/me');
    if (me.ok && me.body.csrf_token) {
      setCsrfToken(me.body.csrf_token);
      return report(await send(method, path, json));
    }
  }
  return report(res);
}

function report(res) {
  if (csrfToken && sessionListener) {
    const signIn = res.status === 401 ? res.body?.error?.details?.find((d) => d.sign_in)?.sign_in : undefined;
    if (signIn) sessionListener({ signIn });
    else if (res.ok) sessionListener(null);
  }
  return res;
}

async function send(method, path, json) {
  const headers = { accept: 'application/json' };
  const t = token();
  if (t) headers.authorization = `Bearer ${t}`;
  else if (csrfToken && method !== 'GET' && method !== 'HEAD') headers['x-csrf-token'] = csrfToken;
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
  for (const [k, v] of Object.entries(params)) {
    // a list is the parameter repeated (`filter.quarter=…&filter.quarter=…`)
    if (Array.isArray(v)) for (const item of v) q.append(k, String(item));
    else if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

import type { Credential, HttpContext } from './context.js';
import { type ApiFailure, apiError } from './api-error.js';
import { sameSecret } from './same-secret.js';

/** The request header carrying the CSRF token (the token is `csrf_token` of `GET /api/v1/me`). */
export const CSRF_HEADER = 'x-csrf-token';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The CSRF token a credential needs on state-changing requests: sessions and proxy sign-in are ambient (the browser sends them by itself). */
export function csrfTokenOf(credential: Credential): string | undefined {
  return credential.kind === 'session' || credential.kind === 'proxy' ? credential.csrfToken : undefined;
}

/**
 * Whether the request comes from a page of another origin. Browsers send `Sec-Fetch-Site`: only
 * `same-origin` is this server's own pages (`same-site` is another port or subdomain). Without
 * it (older browsers), an `Origin` whose host is not this server's (the `Host` header, or the
 * public origin of the sign-in redirect URL behind a proxy); `Origin: null` counts as another
 * origin — the pages' `Referrer-Policy: no-referrer` makes browsers send it for their own form
 * posts, which is why `Sec-Fetch-Site` is asked first.
 */
export function crossOrigin(c: HttpContext, publicOrigin?: string): boolean {
  const site = c.req.header('sec-fetch-site');
  if (site !== undefined) return site !== 'same-origin';
  const origin = c.req.header('origin');
  if (origin === undefined) return false;
  if (publicOrigin !== undefined && origin === publicOrigin) return false;
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    return true;
  }
  return host === '' || host !== (c.req.header('host') ?? new URL(c.req.url).host);
}

/**
 * The refusal of a state-changing request signed in by a session or proxy assertion that is not
 * the form's own: 403 `forbidden` when it comes from another site or lacks the CSRF token (the
 * `X-CSRF-Token` header, or `sent` — a sign-out form's hidden field). Undefined for GET, HEAD,
 * OPTIONS and for credentials a browser never sends by itself (bearer tokens).
 */
export function csrfRefusal(c: HttpContext, credential: Credential, options: { publicOrigin?: string; sent?: string } = {}): ApiFailure | undefined {
  const expected = csrfTokenOf(credential);
  if (expected === undefined || SAFE_METHODS.has(c.req.method)) return undefined;
  if (crossOrigin(c, options.publicOrigin))
    return apiError('forbidden', `cross-site request refused: ${c.req.method} ${c.req.path} came from a page of another origin (${c.req.header('sec-fetch-site') !== undefined ? `Sec-Fetch-Site: ${c.req.header('sec-fetch-site')}` : `Origin: ${c.req.header('origin')}`})`, [
      { message: 'requests signed in by a browser session must come from this server\'s pages', csrf: true },
    ]);
  const sent = options.sent ?? c.req.header(CSRF_HEADER);
  if (sent === undefined || sent === '' || !sameSecret(sent, expected))
    return apiError('forbidden', `missing or wrong CSRF token: ${c.req.method} ${c.req.path} signed in by a browser session needs the header X-CSRF-Token (the csrf_token of GET /api/v1/me)`, [
      { message: `send the header ${CSRF_HEADER}`, csrf: true },
    ]);
  return undefined;
}

import { randomBytes } from 'node:crypto';
import { getCookie, setCookie } from 'hono/cookie';
import type { Actor } from '../auth/actor.js';
import { actorFromClaims, describeNoRole } from '../auth/claims.js';
import type { Identity } from '../auth/identity.js';
import { type KeyFetchSettings, proxyAssertionVerifier } from '../auth/proxy-assertion.js';
import type { AuthConfig, Project, ProxySignIn } from '../ir/types.js';
import { type ApiFailure, apiError } from './api-error.js';
import type { Credential, HttpContext } from './context.js';

/** A request signed in by the proxy's assertion, or why not. */
export type ProxySignInOutcome =
  | { ok: true; actor: Actor; identity: Identity; credential: Extract<Credential, { kind: 'proxy' }> }
  | { ok: false; failure: ApiFailure };

/** Signs requests in from an authenticating proxy's signed identity assertion (`auth.proxy`). */
export interface ProxySignInHandler {
  /**
   * Whether an `Authorization: Bearer` value is the proxy's assertion rather than an API token:
   * only when the proxy sends its assertion in `authorization` (oauth2-proxy's
   * `pass_authorization_header`) and the value is a JWT (API tokens have no dots).
   */
  ownsBearer(token: string): boolean;
  signIn(c: HttpContext): Promise<ProxySignInOutcome>;
}

/** Where failures to reach the proxy's keys are logged. */
export interface ProxySignInLog {
  warn(message: string, fields?: Record<string, unknown>): void;
}

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/** What a caller without a valid assertion is told to do. */
const SIGN_IN_HINT = 'sign in through the authenticating proxy in front of writeback (reload the page); scripts send Authorization: Bearer <token>';

/**
 * The sign-in of `auth.proxy`: the assertion is checked (src/auth/proxy-assertion.ts), its claims
 * become the actor by the one claims rule (src/auth/claims.ts), and the credential carries a CSRF
 * token: the value of this browser's CSRF cookie (`PROXY_CSRF_COOKIE`), drawn at random on its first
 * request and sent back as `csrf_token` by `GET /api/v1/me` — a double-submit token that any
 * server instance checks alike (a hostile page can neither read the cookie nor send the header).
 * A missing or refused assertion is 401 naming why, a proxy whose keys cannot be fetched 503, a
 * user without a role 403 naming what is missing. Bare identity headers (`X-User`,
 * `X-Forwarded-User`, …) are never read. Throws a UsageError at start for a bad `jwks_file` or
 * no accepted algorithm.
 */
export function proxySignIn(
  project: () => Project,
  auth: AuthConfig & { sso: ProxySignIn },
  options: {
    projectDir: string;
    keys?: KeyFetchSettings;
    log?: ProxySignInLog;
    /** Called on every sign-in (the users directory records each identity once per process); a failure is logged, the request goes on. */
    onSignIn?: (identity: Identity) => Promise<unknown>;
  },
): ProxySignInHandler {
  const sso = auth.sso;
  const verifier = proxyAssertionVerifier(sso, options.projectDir, options.keys);
  const readsAuthorization = sso.header === 'authorization';
  return {
    ownsBearer: (token) => readsAuthorization && JWT_SHAPE.test(token),
    async signIn(c) {
      let value = c.req.header(sso.header);
      if (readsAuthorization && value !== undefined) value = /^Bearer\s+(\S+)\s*$/i.exec(value)?.[1] ?? value;
      const checked = await verifier.verify(value);
      if (!checked.ok) {
        if (checked.reason === 'keys_unavailable') {
          options.log?.warn('proxy sign-in: signing keys unavailable', { error: checked.message });
          return { ok: false, failure: apiError('unavailable', `${checked.message}; retry in a moment`) };
        }
        return { ok: false, failure: apiError('unauthorized', checked.message, [{ message: SIGN_IN_HINT, reason: checked.reason }]) };
      }
      const outcome = actorFromClaims(project(), auth.claims, checked.claims, sso.issuer);
      if (!outcome.ok) {
        // the first line says what is missing; the others who the person is signed in as and what would work
        const [first = '', ...more] = describeNoRole(outcome.problem);
        return { ok: false, failure: apiError('forbidden', first, more.map((message, i) => (i === 0 ? { message, no_role: outcome.problem.code } : { message }))) };
      }
      if (options.onSignIn)
        await options.onSignIn(outcome.identity).catch((err: unknown) =>
          options.log?.warn('proxy sign-in: recording the user failed', { user: outcome.actor.user, error: err instanceof Error ? err.message : String(err) }),
        );
      const csrfToken = proxyCsrfToken(c);
      return { ok: true, actor: outcome.actor, identity: outcome.identity, credential: { kind: 'proxy', csrfToken, name: outcome.identity.name ?? null, email: outcome.identity.email ?? null } };
    },
  };
}

/** A CSRF token as this server draws them: 32 random bytes, base64url. */
const CSRF_TOKEN = /^[A-Za-z0-9_-]{43}$/;

/**
 * The CSRF cookie of proxy sign-in: `__Host-` prefixed and `Secure` whatever the `Host` header
 * says (a reverse proxy may rewrite it to its loopback upstream): browsers reach an authenticating
 * proxy over TLS, and treat loopback hosts as secure in development. The prefix keeps a sibling
 * subdomain from planting one. HttpOnly: the page reads the token from `GET /api/v1/me`.
 */
export const PROXY_CSRF_COOKIE = '__Host-writeback_csrf';

/** This browser's CSRF token: its cookie's, or a new one set on the answer. */
function proxyCsrfToken(c: HttpContext): string {
  const sent = getCookie(c, PROXY_CSRF_COOKIE);
  if (sent !== undefined && CSRF_TOKEN.test(sent)) return sent;
  const token = randomBytes(32).toString('base64url');
  setCookie(c, PROXY_CSRF_COOKIE, token, { path: '/', httpOnly: true, secure: true, sameSite: 'Lax' });
  return token;
}

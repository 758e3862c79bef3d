import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import * as oidc from 'openid-client';
import { z } from 'zod';
import { actorFromClaims, describeNoRole } from '../../auth/claims.js';
import { isLoopbackHost } from '../../schema/auth-settings.js';
import type { AuthConfig, OidcSignIn } from '../../ir/types.js';
import { apiError } from '../../http/api-error.js';
import type { HttpContext } from '../../http/context.js';
import { CSRF_HEADER, crossOrigin, csrfRefusal } from '../../http/csrf.js';
import type { HttpLibrary } from '../../http/library.js';
import { sendFailure } from '../../http/parse-request.js';
import { route, type Route } from '../../http/route.js';
import { type BrowserSessions, SIGN_IN_PATH, browserSessions } from '../../http/session-cookie.js';
import { pageCsp } from '../../forms/page-shell.js';
import { renderSignInProblem } from '../../forms/sign-in-page.js';
import type { ServerLogger } from '../logger.js';

/** How long a sign-in may take between `/auth/login` and `/auth/callback`. */
const LOGIN_SECONDS = 600;

/** What the login cookie carries from `/auth/login` to `/auth/callback`. */
interface PendingLogin {
  state: string;
  nonce: string;
  verifier: string;
  returnTo: string;
}

const LoginQuerySchema = z.object({
  return_to: z.string().optional().describe('A path on this server to land on after signing in (default `/`); another origin is refused.'),
});

const HTML = { 'text/html': 'A page saying what went wrong and how to go on.' };

/** A same-origin path to return to after sign-in, or undefined for anything else (another origin, `//host`, `/\host`, control characters). */
export function sameOriginPath(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return '/';
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\') || /[\u0000-\u001f\u007f\\]/.test(value)) return undefined;
  const base = 'http://writeback.invalid';
  const url = new URL(value, base);
  const path = `${url.pathname}${url.search}${url.hash}`;
  // `/.//evil.test` normalizes to `//evil.test`, which a browser reads as another host
  return url.origin === base && !path.startsWith('//') && !path.startsWith('/\\') ? path : undefined;
}

function htmlPage(body: string, status: number, csp: string): Response {
  return new Response(body, {
    status,
    headers: { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': csp, 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer', 'cache-control': 'no-store' },
  });
}

function readLogin(value: string | undefined): PendingLogin | undefined {
  if (value === undefined) return undefined;
  try {
    const p = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as Record<string, unknown>;
    const { state, nonce, verifier, returnTo } = p;
    if (typeof state !== 'string' || typeof nonce !== 'string' || typeof verifier !== 'string' || typeof returnTo !== 'string') return undefined;
    const path = sameOriginPath(returnTo);
    return path === undefined ? undefined : { state, nonce, verifier, returnTo: path };
  } catch {
    return undefined;
  }
}

/** Why an authorization response or code exchange failed, in words (the provider's free text goes to the log only). */
function exchangeProblem(err: unknown): string {
  if (err instanceof oidc.AuthorizationResponseError) return `the identity provider refused the sign-in (${err.error})`;
  if (err instanceof oidc.ResponseBodyError) return `the identity provider refused the authorization code (${err.error}); it may have been used already or have expired`;
  const code = err instanceof oidc.ClientError ? err.code : undefined;
  if (code === 'OAUTH_INVALID_RESPONSE' || code === 'OAUTH_JWT_CLAIM_COMPARISON_FAILED' || code === 'OAUTH_RESPONSE_BODY_ERROR')
    return `the answer did not match this sign-in (${err instanceof Error ? err.message : String(err)})`;
  return `the answer could not be checked (${err instanceof Error ? err.message : String(err)})`;
}

/**
 * OpenID Connect sign-in for the planner pages: `GET /auth/login`, `GET /auth/callback`,
 * `POST /auth/logout`. Always registered (and documented); without `auth.oidc` on the served
 * target they answer 404. The authorization code flow uses PKCE (S256), state and nonce, kept
 * between login and callback in a short-lived HttpOnly cookie; the id token is checked by
 * openid-client; the claims (id token and userinfo) become the actor by the one claims rule.
 */
export function signInRoutes(wb: HttpLibrary, auth: AuthConfig | undefined, logger: ServerLogger): Route[] {
  const sso: OidcSignIn | undefined = auth?.sso.kind === 'oidc' ? auth.sso : undefined;
  const sessions = browserSessions(auth);
  const notConfigured = (c: HttpContext) => sendFailure(c, apiError('not_found', `${c.req.path}: this server has no OpenID Connect sign-in (project.yml: targets.<target>.auth.oidc); sign in with an API token`));

  let discovered: Promise<oidc.Configuration> | undefined;
  const configuration = (s: OidcSignIn): Promise<oidc.Configuration> => {
    const issuer = new URL(s.issuer);
    // Plain http only to an identity provider on this machine (tests, a local Keycloak); resolveAuth refuses it elsewhere.
    const insecure = issuer.protocol === 'http:' && isLoopbackHost(issuer.hostname);
    discovered ??= oidc
      .discovery(issuer, s.clientId, undefined, s.clientSecret === undefined ? oidc.None() : oidc.ClientSecretBasic(s.clientSecret), insecure ? { execute: [oidc.allowInsecureRequests] } : undefined)
      .catch((err: unknown) => {
        discovered = undefined;
        throw err;
      });
    return discovered;
  };
  const unreachable = (c: HttpContext, s: OidcSignIn, err: unknown) => {
    logger.warn('identity provider unreachable', { issuer: s.issuer, error: err instanceof Error ? err.message : String(err) });
    return sendFailure(c, apiError('unavailable', `the identity provider ${s.issuer} did not answer its discovery document; try again in a moment`));
  };
  const problemPage = (c: HttpContext, s: BrowserSessions, status: 400 | 403, title: string, lines: string[], returnTo = '/') => {
    deleteCookie(c, s.loginCookie, { path: '/', secure: s.secure });
    const page = renderSignInProblem({ project: wb.project.name, title, lines, retry: `${SIGN_IN_PATH}?return_to=${encodeURIComponent(returnTo)}`, signOut: status === 403 });
    const res = htmlPage(page, status, pageCsp(sso ? [new URL(sso.issuer).origin] : []));
    for (const cookie of c.res.headers.getSetCookie()) res.headers.append('set-cookie', cookie);
    return res;
  };

  return [
    route({
      method: 'get',
      path: SIGN_IN_PATH,
      operationId: 'signIn',
      summary: 'Sign in with the identity provider: redirects there (authorization code flow with PKCE)',
      tags: ['sign-in'],
      auth: 'none',
      touches: 'nothing',
      query: LoginQuerySchema,
      responses: { 302: { description: "To the identity provider's authorization endpoint; sets the short-lived login cookie." } },
      errors: ['not_found'],
      handler: async (c, { query }) => {
        if (!sso || !sessions) return notConfigured(c);
        const returnTo = sameOriginPath(query.return_to);
        if (returnTo === undefined) return sendFailure(c, apiError('bad_request', `return_to must be a path on this server (like /forms/revenue_forecast), not ${JSON.stringify(query.return_to)}`, [{ column: 'return_to', message: 'another origin' }]));
        let config: oidc.Configuration;
        try {
          config = await configuration(sso);
        } catch (err) {
          return unreachable(c, sso, err);
        }
        const login: PendingLogin = { state: oidc.randomState(), nonce: oidc.randomNonce(), verifier: oidc.randomPKCECodeVerifier(), returnTo };
        const url = oidc.buildAuthorizationUrl(config, {
          redirect_uri: sso.redirectUrl,
          scope: sso.scopes.join(' '),
          code_challenge: await oidc.calculatePKCECodeChallenge(login.verifier),
          code_challenge_method: 'S256',
          state: login.state,
          nonce: login.nonce,
        });
        setCookie(c, sessions.loginCookie, Buffer.from(JSON.stringify(login)).toString('base64url'), { httpOnly: true, secure: sessions.secure, sameSite: 'Lax', path: '/', maxAge: LOGIN_SECONDS });
        return c.redirect(url.href, 302);
      },
    }),
    route({
      method: 'get',
      path: '/auth/callback',
      operationId: 'signInCallback',
      summary: 'Where the identity provider sends the browser back: starts a session and redirects to the page the sign-in started from',
      tags: ['sign-in'],
      auth: 'none',
      touches: 'nothing',
      responses: {
        302: { description: 'Signed in: to the `return_to` path of the login; sets the session cookie (HttpOnly, SameSite=Lax, Secure on https).' },
        400: { description: 'The sign-in did not complete (no login cookie, wrong state, a code used twice, an invalid id token): an HTML page with a link to try again.', text: HTML },
        403: { description: 'Signed in, but the claims give no role (or lack an attribute the row filters need): an HTML page naming what is missing.', text: HTML },
      },
      errors: ['not_found'],
      handler: async (c) => {
        if (!sso || !sessions || !auth) return notConfigured(c);
        const login = readLogin(getCookie(c, sessions.loginCookie));
        const failed = 'Sign-in did not complete';
        if (!login) return problemPage(c, sessions, 400, failed, ['This sign-in did not start on this server, or it took longer than 10 minutes (cookies must be enabled).']);
        let config: oidc.Configuration;
        try {
          config = await configuration(sso);
        } catch (err) {
          return unreachable(c, sso, err);
        }
        const current = new URL(sso.redirectUrl);
        current.search = new URL(c.req.url).search;
        let claims: Record<string, unknown>;
        try {
          const tokens = await oidc.authorizationCodeGrant(config, current, { pkceCodeVerifier: login.verifier, expectedState: login.state, expectedNonce: login.nonce, idTokenExpected: true });
          const idClaims = tokens.claims();
          if (!idClaims) throw new Error('no id token');
          const userinfo = config.serverMetadata().userinfo_endpoint ? await oidc.fetchUserInfo(config, tokens.access_token, idClaims.sub) : {};
          claims = { ...userinfo, ...idClaims };
        } catch (err) {
          logger.warn('sign-in failed', { issuer: sso.issuer, error: err instanceof Error ? err.message : String(err) });
          return problemPage(c, sessions, 400, failed, [`Sign-in did not complete: ${exchangeProblem(err)}.`, 'Start again from the sign-in link.'], login.returnTo);
        }
        // signing in again ends the browser's previous session, whoever signs in now and whether or
        // not they get a role (on a shared machine the next person never lands in the last one's session)
        const previous = getCookie(c, sessions.cookie);
        const replaced = previous === undefined ? null : await wb.sessions.authenticate(previous, sessions.idleTimeoutSeconds);
        if (replaced) await wb.sessions.revoke(replaced.sessionId);
        if (previous !== undefined) deleteCookie(c, sessions.cookie, { path: '/', secure: sessions.secure });
        const outcome = actorFromClaims(wb.project, auth.claims, claims, String(claims.iss));
        if (!outcome.ok) {
          const lines = describeNoRole(outcome.problem);
          logger.warn('sign-in refused: no role', { issuer: sso.issuer, subject: typeof claims.sub === 'string' ? claims.sub : null, problem: lines[0] ?? '' });
          return problemPage(c, sessions, 403, 'You have no role here', lines, login.returnTo);
        }
        const { secret, session } = await wb.sessions.create({ identity: outcome.identity, ...outcome.actor, lifetimeSeconds: sessions.lifetimeSeconds });
        logger.info('signed in', { user: session.user, role: session.role });
        // the users directory keeps the name and e-mail history shows; a failure there never stops the sign-in
        await wb.users.recordSignIn(outcome.identity).catch((err: unknown) => logger.warn('users directory not updated', { user: session.user, error: err instanceof Error ? err.message : String(err) }));
        deleteCookie(c, sessions.loginCookie, { path: '/', secure: sessions.secure });
        setCookie(c, sessions.cookie, secret, { httpOnly: true, secure: sessions.secure, sameSite: 'Lax', path: '/', maxAge: sessions.lifetimeSeconds });
        return c.redirect(login.returnTo, 302);
      },
    }),
    route({
      method: 'post',
      path: '/auth/logout',
      operationId: 'signOut',
      summary: "Sign out: ends the session, clears its cookie, and continues at the identity provider's end-session endpoint when it has one",
      description: `A form post (field \`csrf_token\`) or a request with the header \`${CSRF_HEADER}\`: the session's CSRF token (\`csrf_token\` of \`GET /api/v1/me\`).`,
      tags: ['sign-in'],
      auth: 'none',
      touches: 'nothing',
      responses: { 303: { description: "To the identity provider's end-session endpoint (with `client_id` and `post_logout_redirect_uri`), else to `/`." } },
      errors: ['not_found', 'forbidden'],
      handler: async (c) => {
        if (!sso || !sessions) return notConfigured(c);
        const secret = getCookie(c, sessions.cookie);
        const session = secret === undefined ? null : await wb.sessions.authenticate(secret, sessions.idleTimeoutSeconds);
        if (session) {
          const type = c.req.header('content-type') ?? '';
          const form = type.startsWith('application/x-www-form-urlencoded') || type.startsWith('multipart/form-data') ? await c.req.parseBody() : {};
          const field = form.csrf_token;
          const refused = csrfRefusal(c, { kind: 'session', sessionId: session.sessionId, csrfToken: session.csrfToken }, { publicOrigin: sessions.publicOrigin, ...(typeof field === 'string' ? { sent: field } : {}) });
          if (refused) return sendFailure(c, refused);
          await wb.sessions.revoke(session.sessionId);
          logger.info('signed out', { user: session.user });
        }
        deleteCookie(c, sessions.cookie, { path: '/', secure: sessions.secure });
        let to = '/';
        // without a session there is no CSRF token to check: only this server's own pages go on to the provider's sign-out
        if (!session && crossOrigin(c, sessions.publicOrigin)) return c.redirect(to, 303);
        try {
          const config = await configuration(sso);
          if (config.serverMetadata().end_session_endpoint) to = oidc.buildEndSessionUrl(config, { client_id: sso.clientId, post_logout_redirect_uri: `${sessions.publicOrigin}/` }).href;
        } catch (err) {
          logger.warn('identity provider unreachable at sign-out', { issuer: sso.issuer, error: err instanceof Error ? err.message : String(err) });
        }
        return c.redirect(to, 303);
      },
    }),
  ];
}

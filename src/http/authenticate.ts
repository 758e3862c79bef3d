import type { MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import type { Actor } from '../auth/actor.js';
import { publicTokenId } from '../auth/tokens.js';
import type { HttpLibrary } from './library.js';
import type { Credential, HttpContext, HttpEnv } from './context.js';
import { type ApiFailure, apiError, failureResponse } from './api-error.js';
import { csrfRefusal } from './csrf.js';
import { sameSecret } from './same-secret.js';
import { type BrowserSessions, SIGN_IN_PATH } from './session-cookie.js';
import type { ProxySignInHandler } from './proxy-sign-in.js';

export { sameSecret } from './same-secret.js';

const unauthorized = (message: string, sessions?: BrowserSessions): ApiFailure =>
  apiError('unauthorized', message, sessions ? [{ message: `sign in at ${SIGN_IN_PATH}`, sign_in: SIGN_IN_PATH }] : []);

/** The token of an `Authorization: Bearer <token>` header, or undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}

/** The public id of the API token an `Authorization` header carries (safe to log), or undefined. */
export function sentTokenId(header: string | undefined): string | undefined {
  const token = bearerToken(header);
  return token === undefined ? undefined : publicTokenId(token);
}

/** Who signed in, and how; or the 401 that says why nobody did. */
type SignedIn = { actor: Actor; credential: Credential } | { failure: ApiFailure };

/** How the caller signs in, besides API tokens. */
export interface CallerSignIn {
  /** The `--dev-user` actor (never together with SSO). */
  devUser?: Actor | undefined;
  /** Browser sessions of OpenID Connect sign-in. */
  sessions?: BrowserSessions | undefined;
  /** The authenticating proxy's signed assertion (`auth.proxy`). */
  proxy?: ProxySignInHandler | undefined;
}

async function signIn(c: HttpContext, wb: HttpLibrary, options: CallerSignIn): Promise<SignedIn> {
  const header = c.req.header('authorization');
  const bearer = bearerToken(header);
  if (header !== undefined && !(bearer !== undefined && options.proxy?.ownsBearer(bearer))) {
    const token = bearer;
    if (!token) return { failure: unauthorized('malformed Authorization header: send Authorization: Bearer <token>') };
    const signedIn = await wb.tokens.signIn(token);
    if (!signedIn.ok) return { failure: unauthorized(signedIn.reason === 'expired' ? 'token expired' : 'invalid or revoked token') };
    const { actor } = signedIn;
    return { actor: { user: actor.user, role: actor.role, attributes: actor.attributes }, credential: { kind: 'token', tokenId: actor.tokenId } };
  }
  const { sessions } = options;
  const cookie = sessions ? getCookie(c, sessions.cookie) : undefined;
  if (sessions && cookie !== undefined) {
    const session = await wb.sessions.authenticate(cookie, sessions.idleTimeoutSeconds);
    if (!session) return { failure: unauthorized('your session expired or was signed out: sign in again', sessions) };
    return {
      actor: { user: session.user, role: session.role, attributes: session.attributes },
      credential: { kind: 'session', sessionId: session.sessionId, csrfToken: session.csrfToken, name: session.name, email: session.email, signedInAt: session.signedInAt },
    };
  }
  if (options.proxy) {
    const signed = await options.proxy.signIn(c);
    return signed.ok ? { actor: signed.actor, credential: signed.credential } : { failure: signed.failure };
  }
  if (options.devUser) return { actor: options.devUser, credential: { kind: 'dev' } };
  if (sessions) return { failure: unauthorized(`not signed in: sign in at ${SIGN_IN_PATH}, or send Authorization: Bearer <token>`, sessions) };
  return { failure: unauthorized('missing credentials: send Authorization: Bearer <token> (create one with `writeback token create`)') };
}

/**
 * Sign the caller in, in this order: an `Authorization: Bearer` API token (it wins; never needs a
 * CSRF token; an expired one is 401 "token expired"), the session cookie of OpenID Connect sign-in, the `--dev-user`, else 401 (whose
 * details name `sign_in: '/auth/login'` when browsers sign in with OpenID Connect). A session
 * signs a state-changing request in only with its CSRF token, from this server's pages
 * (src/http/csrf.ts).
 */
export function authenticateCaller(wb: HttpLibrary, options: CallerSignIn = {}): MiddlewareHandler<HttpEnv> {
  return async (c, next) => {
    const signedIn = await signIn(c, wb, options);
    if ('failure' in signedIn) {
      return failureResponse(signedIn.failure);
    }
    const refused = csrfRefusal(c, signedIn.credential, options.sessions ? { publicOrigin: options.sessions.publicOrigin } : {});
    if (refused) return failureResponse(refused);
    c.set('actor', signedIn.actor);
    c.set('credential', signedIn.credential);
    return next();
  };
}

/** Admin routes: the per-process credential of target/server.json. The CLI names the user per call. */
export function authenticateAdmin(adminToken: string | undefined): MiddlewareHandler<HttpEnv> {
  return async (c, next) => {
    const token = bearerToken(c.req.header('authorization'));
    if (!adminToken || !token || !sameSecret(token, adminToken)) {
      return failureResponse(unauthorized('admin routes need the credential in target/server.json'));
    }
    c.set('credential', { kind: 'admin' });
    return next();
  };
}

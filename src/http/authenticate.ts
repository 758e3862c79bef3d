import { timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { Actor } from '../auth/actor.js';
import type { HttpLibrary } from './library.js';
import type { HttpEnv } from './context.js';
import { apiError, failureResponse } from './api-error.js';
import { type ProxySignInHandler, signInWithProxy } from './proxy-sign-in.js';

const unauthorized = (message: string) =>
  failureResponse(apiError('unauthorized', message));

/** The token of an `Authorization: Bearer <token>` header, or undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}

/** Compare two secrets in constant time. */
export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Sign the caller in: the actor of a valid, unrevoked API token (401 `unauthorized` when the
 * header is malformed or the token is unknown or revoked). With `auth.proxy` and no API token, the
 * authenticating proxy's signed assertion (src/http/proxy-sign-in.ts). Without an Authorization header, the
 * dev user when the server runs with `--dev-user` (so a token still signs in as its own user and
 * role in development, e.g. to try a planner's row filter), else 401.
 */
export function authenticateCaller(wb: HttpLibrary, devUser: Actor | undefined, proxy?: ProxySignInHandler): MiddlewareHandler<HttpEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization');
    const bearer = bearerToken(header);
    if (proxy && (bearer === undefined || proxy.ownsBearer(bearer))) return signInWithProxy(proxy, c, next);
    if (devUser && header === undefined) {
      c.set('actor', devUser);
      c.set('credential', { kind: 'dev' });
      return next();
    }
    const token = bearerToken(c.req.header('authorization'));
    if (!token) return unauthorized('missing credentials: send Authorization: Bearer <token> (create one with `writeback token create`)');
    const actor = await wb.tokens.authenticate(token);
    if (!actor) return unauthorized('invalid or revoked token');
    c.set('actor', { user: actor.user, role: actor.role, attributes: actor.attributes });
    c.set('credential', { kind: 'token', tokenId: actor.tokenId });
    return next();
  };
}

/** Admin routes: the per-process credential of target/server.json. The CLI names the user per call. */
export function authenticateAdmin(adminToken: string | undefined): MiddlewareHandler<HttpEnv> {
  return async (c, next) => {
    const token = bearerToken(c.req.header('authorization'));
    if (!adminToken || !token || !sameSecret(token, adminToken)) {
      return unauthorized('admin routes need the credential in target/server.json');
    }
    c.set('credential', { kind: 'admin' });
    return next();
  };
}

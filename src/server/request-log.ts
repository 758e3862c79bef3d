import type { MiddlewareHandler } from 'hono';
import { sentTokenId } from '../http/authenticate.js';
import type { HttpEnv } from '../http/context.js';
import type { ServerLogger } from './logger.js';

/**
 * One `request` log line per request a caller signed in to (token, session, proxy assertion, dev
 * user): method, path (no query string), status, milliseconds, the user, how they signed in, and
 * the token's id for a token — so every use of a token can be traced to it; and a `sign-in refused`
 * warning for each 401 (with the public id of a token that was sent). Admin (CLI) calls, pages and
 * assets served without sign-in are not logged here.
 */
export function requestLog(logger: ServerLogger): MiddlewareHandler<HttpEnv> {
  return async (c, next) => {
    const started = performance.now();
    await next();
    const credential = c.get('credential');
    if (!credential) {
      // a refused sign-in: logged with the token's public id when a token was sent (never the secret)
      if (c.res.status === 401) {
        const tokenId = sentTokenId(c.req.header('authorization'));
        logger.warn('sign-in refused', { method: c.req.method, path: c.req.path, status: 401, ...(tokenId ? { token_id: tokenId } : {}) });
      }
      return;
    }
    if (credential.kind === 'admin') return;
    logger.info('request', {
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      ms: Math.round(performance.now() - started),
      user: c.get('actor')?.user ?? null,
      credential: credential.kind,
      ...(credential.kind === 'token' ? { token_id: credential.tokenId } : {}),
    });
  };
}

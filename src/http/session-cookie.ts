import type { AuthConfig } from '../ir/types.js';

/** Where a browser signs in (OpenID Connect): the login route, with `?return_to=<path>`. */
export const SIGN_IN_PATH = '/auth/login';

/** How browser sessions of OpenID Connect sign-in are carried and bounded. */
export interface BrowserSessions {
  /** `__Host-writeback_session` (with `Secure`) when the redirect URL is https, else `writeback_session` (loopback http). */
  cookie: string;
  /** The short-lived cookie holding state, nonce and PKCE verifier between login and callback. */
  loginCookie: string;
  secure: boolean;
  lifetimeSeconds: number;
  idleTimeoutSeconds: number;
  /** Origin of the redirect URL: the server as browsers see it (behind a proxy too). */
  publicOrigin: string;
}

/** The session settings of a target's resolved `auth:`; undefined unless it signs in with OpenID Connect. */
export function browserSessions(auth: AuthConfig | undefined): BrowserSessions | undefined {
  if (auth?.sso.kind !== 'oidc') return undefined;
  const redirect = new URL(auth.sso.redirectUrl);
  const secure = redirect.protocol === 'https:';
  return {
    cookie: secure ? '__Host-writeback_session' : 'writeback_session',
    loginCookie: secure ? '__Host-writeback_login' : 'writeback_login',
    secure,
    lifetimeSeconds: auth.session.lifetimeSeconds,
    idleTimeoutSeconds: auth.session.idleTimeoutSeconds,
    publicOrigin: redirect.origin,
  };
}

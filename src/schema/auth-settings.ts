/**
 * The rules of `targets.<t>.auth` settings that both the loader (diagnostics at the YAML node) and
 * the server start (after `{{ env('X') }}` is resolved) apply: durations, defaults, JWS algorithms
 * and the URLs of the identity provider.
 */

/** Defaults of `auth:` settings left out. */
export const AUTH_DEFAULTS = {
  /** `session.lifetime`: 12h. */
  sessionLifetimeSeconds: 12 * 3600,
  /** `session.idle_timeout`: 1h. */
  idleTimeoutSeconds: 3600,
  /** `personal_tokens.max_lifetime`: 90d. */
  personalTokenMaxLifetimeSeconds: 90 * 86400,
  /** `oidc.scopes`. */
  scopes: ['openid', 'profile', 'email'],
  /** `claims.name` / `claims.email`. */
  nameClaim: 'name',
  emailClaim: 'email',
  /** `proxy.algorithms`. */
  algorithms: ['RS256', 'ES256'],
} as const;

/** Asymmetric JWS algorithms an identity assertion may be signed with (never `none`, never a shared-secret HS*). */
export const ASYMMETRIC_JWS_ALGORITHMS: readonly string[] = [
  'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519',
];

const UNIT_SECONDS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86400 };
/** Longest accepted duration: ten years. */
const MAX_DURATION_SECONDS = 3650 * 86400;

/** How a duration is written, for messages. */
export const DURATION_FORMAT = 'a whole number and a unit: s, m, h or d (e.g. 30s, 15m, 12h, 90d)';

/** Seconds of a duration `30s`, `15m`, `12h`, `90d`; undefined when it is not one, is 0, or exceeds ten years. */
export function parseDuration(text: string): number | undefined {
  const m = /^([0-9]{1,7})(s|m|h|d)$/.exec(text.trim());
  if (!m) return undefined;
  const seconds = Number(m[1]) * UNIT_SECONDS[m[2]!]!;
  return seconds > 0 && seconds <= MAX_DURATION_SECONDS ? seconds : undefined;
}

/** What a size setting looks like, for messages. */
export const SIZE_FORMAT = 'a number and a unit: MB or GB (e.g. 512MB, 4GB)';

const UNIT_BYTES: Readonly<Record<string, number>> = { mb: 1024 ** 2, gb: 1024 ** 3 };

/** Bytes of a size `512MB`, `4GB` (binary units); undefined when it is not one, or is under 64 MB. */
export function parseSize(text: string): number | undefined {
  const m = /^([0-9]{1,6}(?:\.[0-9]{1,3})?)\s*(mb|gb)$/i.exec(text.trim());
  if (!m) return undefined;
  const bytes = Math.floor(Number(m[1]) * UNIT_BYTES[m[2]!.toLowerCase()]!);
  return bytes >= 64 * 1024 ** 2 ? bytes : undefined;
}

/** Whether a URL's host is this machine (127.0.0.1, ::1, localhost): the only hosts plain `http:` is accepted for. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '127.0.0.1' || host === '::1';
}

/**
 * What is wrong with the URL of an identity provider setting (issuer, redirect_url, jwks_url), or
 * undefined: it must be an absolute `https:` URL (`http:` only on a loopback host), without
 * credentials or a fragment; `path`, when given, is the path it must have.
 */
export function authUrlProblem(text: string, path?: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return `'${text}' is not an absolute URL (e.g. https://login.example.com)`;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return `'${text}' must be an https: URL`;
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname))
    return `'${text}' must use https: (plain http: is accepted only for 127.0.0.1, ::1 or localhost)`;
  if (url.username !== '' || url.password !== '') {
    // the credentials themselves are never repeated (the text may come from the environment)
    url.username = '';
    url.password = '';
    return `'${url.href}' must not hold a user name or password (left out here)`;
  }
  if (url.hash !== '' || text.includes('#')) return `'${text}' must not have a #fragment`;
  if (path !== undefined && url.pathname !== path) return `'${text}' must have the path ${path} (it has ${url.pathname})`;
  return undefined;
}

/** An HTTP header name (RFC 9110 token). */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Whether `text` is an HTTP header name (the proxy's assertion header). */
export function isHeaderName(text: string): boolean {
  return HEADER_NAME.test(text);
}

/** Whether a JWKS file path stays inside the project directory (relative, no `..` out of it). */
export function isInsideProject(path: string): boolean {
  const parts = path.replace(/\\/g, '/').split('/');
  let depth = 0;
  for (const part of parts) {
    if (part === '..') depth--;
    else if (part !== '.' && part !== '') depth++;
    if (depth < 0) return false;
  }
  return !path.startsWith('/') && !/^[A-Za-z]:/.test(path) && depth > 0;
}

/** What is wrong with a JWS algorithm name, or undefined when it is an accepted asymmetric one. */
export function algorithmProblem(alg: string): string | undefined {
  if (ASYMMETRIC_JWS_ALGORITHMS.includes(alg)) return undefined;
  return `'${alg}' is not an accepted signing algorithm (use one of ${ASYMMETRIC_JWS_ALGORITHMS.join(', ')}; none and HS* are never accepted)`;
}

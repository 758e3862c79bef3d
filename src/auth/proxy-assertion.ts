import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { createLocalJWKSet, createRemoteJWKSet, errors, jwtVerify, type JSONWebKeySet, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { UsageError } from '../adapters/usage-error.js';
import type { ProxySignIn } from '../ir/types.js';
import { ASYMMETRIC_JWS_ALGORITHMS } from '../schema/auth-settings.js';

/** Seconds of clock difference accepted between the proxy and this server (on `exp`, `nbf`, `iat`). */
export const CLOCK_TOLERANCE_SECONDS = 30;

/** How the keys of a `jwks_url` are fetched and kept. */
export interface KeyFetchSettings {
  /** Give up on a fetch after this long. Default 5 s. */
  timeoutMs?: number;
  /**
   * An assertion signed by a key the cached set lacks fetches the set again, at most once per this
   * long (so forged key ids cannot make the server hammer the proxy's key endpoint). Default 30 s.
   */
  cooldownMs?: number;
  /** The cached set is fetched again when older than this. Default 10 min. */
  cacheMaxAgeMs?: number;
}

/** Why an assertion was refused; the message never repeats the assertion. */
export type RefusalReason =
  | 'missing'
  | 'malformed'
  | 'algorithm'
  | 'unknown_key'
  | 'bad_signature'
  | 'expired'
  | 'not_yet_valid'
  | 'wrong_issuer'
  | 'wrong_audience'
  | 'missing_claim';

/** The result of checking an assertion. */
export type AssertionOutcome =
  | { ok: true; claims: JWTPayload }
  | { ok: false; reason: RefusalReason; message: string }
  /** The signing keys could not be fetched: the caller may be fine, so this is not their fault (retry later). */
  | { ok: false; reason: 'keys_unavailable'; message: string };

/** Checks an authenticating proxy's signed identity assertion. */
export interface ProxyAssertionVerifier {
  verify(assertion: string | undefined): Promise<AssertionOutcome>;
}

/** A failure to fetch the key set (network, timeout, not 200, not a key set), as opposed to a key the set lacks. */
class KeysUnavailable extends Error {}

/** Header values an attacker chose are echoed only when short and plain. */
function shown(value: unknown): string | undefined {
  return typeof value === 'string' && /^[A-Za-z0-9._:/+\-]{1,100}$/.test(value) ? value : undefined;
}

/** The accepted algorithms: the configured ones that are asymmetric JWS algorithms (never `none` nor HS*). */
function acceptedAlgorithms(sso: ProxySignIn): string[] {
  const accepted = sso.algorithms.filter((alg) => ASYMMETRIC_JWS_ALGORITHMS.includes(alg));
  if (accepted.length === 0)
    throw new UsageError(`auth.proxy.algorithms: none of ${sso.algorithms.join(', ') || '(empty)'} is an accepted signing algorithm (${ASYMMETRIC_JWS_ALGORITHMS.join(', ')})`);
  return accepted;
}

/**
 * The public keys of a `jwks_file` (relative to the project directory), read once at start. A
 * file that cannot be read, is not a JSON Web Key Set, holds a private or shared-secret key, or
 * has no key is a UsageError naming the file.
 */
export function readJwksFile(file: string, projectDir: string): JSONWebKeySet {
  const path = isAbsolute(file) ? file : join(projectDir, file);
  const bad = (why: string) => new UsageError(`auth.proxy.jwks_file ${path}: ${why}`);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw bad(`cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw bad(`is not JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  const keys = typeof json === 'object' && json !== null && !Array.isArray(json) ? (json as { keys?: unknown }).keys : undefined;
  if (!Array.isArray(keys)) throw bad('is not a JSON Web Key Set: expected {"keys": [ … ]}');
  if (keys.length === 0) throw bad('holds no key');
  keys.forEach((key, i) => {
    if (typeof key !== 'object' || key === null || Array.isArray(key)) throw bad(`keys[${i}] is not a JSON object`);
    const k = key as Record<string, unknown>;
    if (k.kty === 'oct') throw bad(`keys[${i}] is a shared secret (kty "oct"): an assertion must be checked with the proxy's public keys`);
    if ('d' in k) throw bad(`keys[${i}] holds a private key ("d"): give only the public keys`);
    if (k.kty !== 'RSA' && k.kty !== 'EC' && k.kty !== 'OKP') throw bad(`keys[${i}] has kty ${JSON.stringify(k.kty)}: expected RSA, EC or OKP`);
  });
  try {
    createLocalJWKSet(json as JSONWebKeySet);
  } catch (err) {
    throw bad(`is not a JSON Web Key Set (${err instanceof Error ? err.message : String(err)})`);
  }
  return json as JSONWebKeySet;
}

/** The key lookup of a remote key set, telling a failed fetch apart from a key the set lacks. */
function remoteKeys(url: string, settings: KeyFetchSettings): JWTVerifyGetKey {
  const remote = createRemoteJWKSet(new URL(url), {
    timeoutDuration: settings.timeoutMs ?? 5_000,
    cooldownDuration: settings.cooldownMs ?? 30_000,
    cacheMaxAge: settings.cacheMaxAgeMs ?? 600_000,
  });
  return async (header, token) => {
    try {
      return await remote(header, token);
    } catch (err) {
      if (err instanceof errors.JWKSNoMatchingKey || err instanceof errors.JWKSMultipleMatchingKeys || err instanceof errors.JOSENotSupported) throw err;
      const why =
        err instanceof errors.JWKSTimeout
          ? `no answer within ${settings.timeoutMs ?? 5_000} ms`
          : err instanceof Error
            ? `${err.message}${err.cause instanceof Error ? ` (${err.cause.message})` : ''}`
            : String(err);
      throw new KeysUnavailable(`the proxy's signing keys could not be fetched from ${url}: ${why}`);
    }
  };
}

/** An assertion refused for `reason`. */
const refused = (reason: RefusalReason, message: string): AssertionOutcome => ({ ok: false, reason, message });

/** Why jose refused an assertion, in words (jose checks the signature before any claim). */
function refusalOf(err: unknown, sso: ProxySignIn, algorithms: string[], header: Record<string, unknown>): AssertionOutcome {
  const what = 'the identity assertion';
  if (err instanceof KeysUnavailable) return { ok: false, reason: 'keys_unavailable', message: err.message };
  if (err instanceof errors.JOSEAlgNotAllowed || (err instanceof errors.JOSENotSupported && header.alg !== undefined && !algorithms.includes(String(header.alg)))) {
    const alg = shown(header.alg);
    return refused('algorithm', `${what} is signed with ${alg ? `'${alg}'` : 'an algorithm'} that is not accepted (accepted: ${algorithms.join(', ')})`);
  }
  if (err instanceof errors.JWKSNoMatchingKey || err instanceof errors.JWKSMultipleMatchingKeys) {
    const kid = shown(header.kid);
    return refused('unknown_key', `${what} is signed with a key the proxy's key set does not hold${kid ? ` (kid '${kid}')` : ''}`);
  }
  if (err instanceof errors.JWSSignatureVerificationFailed) return refused('bad_signature', `${what}'s signature does not verify`);
  if (err instanceof errors.JWTExpired) {
    const exp = err.payload.exp;
    return refused('expired', `${what} has expired${typeof exp === 'number' ? ` (at ${new Date(exp * 1000).toISOString()})` : ''}`);
  }
  if (err instanceof errors.JWTClaimValidationFailed) {
    if (err.reason === 'missing') return refused('missing_claim', `${what} lacks the claim '${err.claim}'`);
    if (err.claim === 'iss') return refused('wrong_issuer', `${what} was issued by ${shown(err.payload.iss) ? `'${String(err.payload.iss)}'` : 'another issuer'}, not ${sso.issuer}`);
    if (err.claim === 'aud') return refused('wrong_audience', `${what} is meant for another audience (accepted: ${sso.audience.join(', ')})`);
    if (err.claim === 'nbf') {
      const nbf = err.payload.nbf;
      return refused('not_yet_valid', `${what} is not valid yet${typeof nbf === 'number' ? ` (from ${new Date(nbf * 1000).toISOString()})` : ''}`);
    }
    return refused('malformed', `${what}'s claim '${err.claim}' is invalid`);
  }
  return refused('malformed', `${what} is not a well-formed signed JWT`);
}

/** The protected header of a compact JWS, when it decodes (for messages only: nothing in it is trusted). */
function headerOf(assertion: string): Record<string, unknown> {
  try {
    const json: unknown = JSON.parse(Buffer.from(assertion.split('.')[0] ?? '', 'base64url').toString('utf8'));
    return typeof json === 'object' && json !== null && !Array.isArray(json) ? (json as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/**
 * The checker of a proxy's assertions: jose's `jwtVerify` against the proxy's public keys (a
 * `jwks_url`, fetched and cached; or a `jwks_file`, read now — a bad file is a UsageError), the
 * issuer, the audiences and the accepted algorithms, with `sub`, `exp` and `iat` required and
 * 30 s of clock tolerance. A missing, forged, expired or misdirected assertion is refused with
 * its reason.
 */
export function proxyAssertionVerifier(sso: ProxySignIn, projectDir: string, settings: KeyFetchSettings = {}): ProxyAssertionVerifier {
  const algorithms = acceptedAlgorithms(sso);
  const keys: JWTVerifyGetKey = 'url' in sso.jwks ? remoteKeys(sso.jwks.url, settings) : createLocalJWKSet(readJwksFile(sso.jwks.file, projectDir));
  return {
    async verify(assertion) {
      if (assertion === undefined || assertion.trim() === '') return refused('missing', `the identity assertion header '${sso.header}' is missing`);
      const jwt = assertion.trim();
      if (!/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(jwt)) return refused('malformed', 'the identity assertion is not a well-formed signed JWT');
      try {
        const { payload } = await jwtVerify(jwt, keys, {
          issuer: sso.issuer,
          audience: sso.audience,
          algorithms,
          clockTolerance: CLOCK_TOLERANCE_SECONDS,
          requiredClaims: ['sub', 'exp', 'iat'],
        });
        if (typeof payload.iat === 'number' && payload.iat > Date.now() / 1000 + CLOCK_TOLERANCE_SECONDS)
          return refused('not_yet_valid', `the identity assertion was issued in the future (at ${new Date(payload.iat * 1000).toISOString()}): check the clocks of the proxy and this server`);
        return { ok: true, claims: payload };
      } catch (err) {
        return refusalOf(err, sso, algorithms, headerOf(jwt));
      }
    },
  };
}

import type { KeyObject, webcrypto } from 'node:crypto';
import { exportJWK, generateKeyPair, type JSONWebKeySet, type JWK, type JWTPayload, SignJWT } from 'jose';
import type { AuthConfig } from '../../../src/ir/types.js';

/** Keys and assertions of an authenticating proxy, made with jose as a proxy would. */
export const ISSUER = 'https://proxy.example.test';
export const AUDIENCE = ['/projects/1/global/backendServices/2', 'writeback-test'];
export const HEADER = 'x-goog-iap-jwt-assertion';

export type Key = { privateKey: KeyObject | webcrypto.CryptoKey; publicKey: KeyObject | webcrypto.CryptoKey; publicJwk: JWK; alg: string; kid: string };
export async function newKey(alg: 'RS256' | 'ES256', kid: string): Promise<Key> {
  const { privateKey, publicKey } = await generateKeyPair(alg);
  return { privateKey, publicKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' }, alg, kid };
}
export const jwks = (...keys: Key[]): JSONWebKeySet => ({ keys: keys.map((k) => k.publicJwk) as JSONWebKeySet['keys'] });

/** The project.yml `auth:` of the served target, as the server gets it. */
export function proxyAuth(jwksSource: { url: string } | { file: string }, header = HEADER): AuthConfig {
  const loc = { file: 'project.yml', line: 1, col: 1 };
  return {
    sso: { kind: 'proxy', header, issuer: ISSUER, audience: AUDIENCE, jwks: jwksSource, algorithms: ['RS256', 'ES256'], loc },
    claims: {
      name: 'name',
      email: 'email',
      role: { claim: 'groups', map: [{ value: 'fpa', role: 'finance' }, { value: 'planners', role: 'planner' }] },
      attributes: { region: 'region' },
      loc,
    },
    session: { lifetimeSeconds: 43200, idleTimeoutSeconds: 3600 },
    personalTokens: { maxLifetimeSeconds: 90 * 86400 },
    loc,
  };
}

export const now = () => Math.floor(Date.now() / 1000);
/** Ana, an EMEA planner, as the proxy asserts her. */
export const ANA: JWTPayload = { sub: 'ana-123', name: 'Ana Lopez', email: 'ana@acme.test', groups: ['staff', 'planners'], region: 'EMEA' };

/** A proxy assertion signed by `key`; `claims` override the standard ones (`undefined` drops one). */
export function sign(key: Key, claims: JWTPayload = ANA, std: Partial<Record<'iss' | 'aud' | 'iat' | 'exp' | 'nbf', unknown>> = {}): Promise<string> {
  const payload: Record<string, unknown> = { iss: ISSUER, aud: AUDIENCE[0], iat: now(), exp: now() + 600, ...claims, ...std };
  for (const [k, v] of Object.entries(payload)) if (v === undefined) delete payload[k];
  return new SignJWT(payload).setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT' }).sign(key.privateKey);
}

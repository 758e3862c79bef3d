import type { KeyObject, webcrypto } from 'node:crypto';
import { exportJWK, generateKeyPair, type JSONWebKeySet, type JWK, type JWTPayload, SignJWT } from 'jose';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import type { AuthConfig, ProxySignIn } from '../../../src/ir/types.js';

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

/**
 * Give the demo's `dev` target an `auth.proxy` in project.yml: keys from `jwks_url` (a literal or
 * `{{ env('X') }}`) or a `jwks_file`; roles from `groups` (`fpa` → finance, `planners` → planner),
 * the planner's region from `region`.
 */
export function addProxyAuth(dir: string, jwks: { jwks_url: string } | { jwks_file: string }): void {
  const path = join(dir, 'project.yml');
  const doc = parseDocument(readFileSync(path, 'utf8'));
  const auth = {
    proxy: { header: HEADER, issuer: ISSUER, audience: AUDIENCE, ...jwks, algorithms: ['RS256', 'ES256'] },
    claims: { role: { claim: 'groups', map: { fpa: 'finance', planners: 'planner' } }, attributes: { region: 'region' } },
  };
  doc.setIn(['targets', 'dev', 'auth'], doc.createNode(auth));
  writeFileSync(path, doc.toString());
}

/** The served target's `auth:` (as loaded from project.yml) with other proxy settings. */
export function withProxy(auth: AuthConfig | undefined, change: Partial<ProxySignIn>): AuthConfig {
  if (auth?.sso.kind !== 'proxy') throw new Error('the target has no auth.proxy');
  return { ...auth, sso: { ...auth.sso, ...change } };
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

import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/adapters/usage-error.js';
import { AUTH_DEFAULTS, devUserRefusal, parseDuration, resolveAuth } from '../../../src/auth/auth-config.js';
import type { AuthConfig, TargetConfig } from '../../../src/ir/types.js';

const loc = { file: 'project.yml', line: 5, col: 5 };
const claims: AuthConfig['claims'] = { name: 'name', email: 'email', role: { claim: 'groups' }, attributes: {}, loc };
const rest = { claims, session: { lifetimeSeconds: 3600, idleTimeoutSeconds: 600 }, personalTokens: { maxLifetimeSeconds: 86400 }, loc };

const oidcTarget = (sso: Partial<Extract<AuthConfig['sso'], { kind: 'oidc' }>> = {}): TargetConfig => ({
  name: 'prod',
  type: 'postgres',
  settings: { host: 'db' },
  auth: {
    sso: {
      kind: 'oidc',
      issuer: "{{ env('OIDC_ISSUER') }}",
      clientId: 'writeback',
      clientSecret: "{{ env('WRITEBACK_OIDC_CLIENT_SECRET') }}",
      redirectUrl: 'https://{{ env("PUBLIC_HOST") }}/auth/callback',
      scopes: ['openid', 'groups'],
      loc,
      ...sso,
    },
    ...rest,
  },
});

const ENV = { OIDC_ISSUER: 'https://login.acme.test', WRITEBACK_OIDC_CLIENT_SECRET: 's3cret', PUBLIC_HOST: 'writeback.acme.test' };

describe('resolveAuth', () => {
  it('replaces every {{ env(…) }} and keeps the rest', () => {
    expect(resolveAuth(oidcTarget(), ENV)).toEqual({
      sso: { kind: 'oidc', issuer: 'https://login.acme.test', clientId: 'writeback', clientSecret: 's3cret', redirectUrl: 'https://writeback.acme.test/auth/callback', scopes: ['openid', 'groups'], loc },
      ...rest,
    });
  });

  it('is undefined for a target without auth', () => {
    expect(resolveAuth({ name: 'dev', type: 'duckdb', path: 'x.duckdb' }, ENV)).toBeUndefined();
  });

  it('an unset or empty variable is a UsageError naming the setting, the target and the variable', () => {
    expect(() => resolveAuth(oidcTarget(), { ...ENV, WRITEBACK_OIDC_CLIENT_SECRET: undefined })).toThrow(
      new UsageError(
        "target 'prod': setting 'auth.oidc.client_secret' reads the environment variable WRITEBACK_OIDC_CLIENT_SECRET, which is not set (export WRITEBACK_OIDC_CLIENT_SECRET=… before running writeback, or put it in your CI secrets)",
      ),
    );
    expect(() => resolveAuth(oidcTarget(), { ...ENV, PUBLIC_HOST: '' })).toThrow(/setting 'auth\.oidc\.redirect_url' reads the environment variable PUBLIC_HOST/);
  });

  it('checks the URLs once their value is known', () => {
    expect(() => resolveAuth(oidcTarget(), { ...ENV, OIDC_ISSUER: 'http://login.acme.test' })).toThrow(
      new UsageError("target 'prod': setting 'auth.oidc.issuer': 'http://login.acme.test' must use https: (plain http: is accepted only for 127.0.0.1, ::1 or localhost)"),
    );
    expect(() => resolveAuth(oidcTarget(), { ...ENV, PUBLIC_HOST: 'evil.test/x#' })).toThrow(/setting 'auth\.oidc\.redirect_url'/);
    expect(resolveAuth(oidcTarget(), { ...ENV, OIDC_ISSUER: 'http://127.0.0.1:9000' })?.sso).toMatchObject({ issuer: 'http://127.0.0.1:9000' });
  });

  it('resolves proxy settings: header (lower case), audience list, jwks file or URL', () => {
    const target: TargetConfig = {
      name: 'edge',
      type: 'duckdb',
      path: 'w.duckdb',
      auth: {
        sso: { kind: 'proxy', header: "{{ env('HDR') }}", issuer: 'https://cloud.google.com/iap', audience: ["{{ env('AUD') }}", 'b'], jwks: { file: "{{ env('KEYS') }}" }, algorithms: ['ES256'], loc },
        ...rest,
      },
    };
    expect(resolveAuth(target, { HDR: 'X-Goog-IAP-JWT-Assertion', AUD: 'a', KEYS: 'keys/p.json' })?.sso).toEqual({
      kind: 'proxy', header: 'x-goog-iap-jwt-assertion', issuer: 'https://cloud.google.com/iap', audience: ['a', 'b'], jwks: { file: 'keys/p.json' }, algorithms: ['ES256'], loc,
    });
    expect(() => resolveAuth(target, { HDR: 'x y', AUD: 'a', KEYS: 'k' })).toThrow(new UsageError("target 'edge': setting 'auth.proxy.header' must be an HTTP header name, found 'x y'"));
    expect(() => resolveAuth(target, { HDR: 'x', AUD: 'a', KEYS: '../k.json' })).toThrow(
      new UsageError("target 'edge': setting 'auth.proxy.jwks_file' must be a relative path inside the project directory, found '../k.json'"),
    );
    expect(() => resolveAuth(target, { HDR: 'x', KEYS: 'k' })).toThrow(/target 'edge': setting 'auth\.proxy\.audience\[0\]' reads the environment variable AUD/);
  });
});

describe('durations and defaults', () => {
  it.each([
    ['30s', 30],
    ['15m', 900],
    ['12h', 43200],
    ['90d', 7776000],
    ['1s', 1],
    ['3650d', 3650 * 86400],
    [' 2h ', 7200],
  ])('%s is %i seconds', (text, seconds) => {
    expect(parseDuration(text)).toBe(seconds);
  });

  it.each(['', '0s', '0d', '12', 'h', '1.5h', '-1h', '+1h', '1 h', '12 hours', '1w', '1H', '3651d', '99999999d', '1e3s', '١٢h', 'NaNs', '0x10s'])('%j is not a duration', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });

  it('defaults: 12h sessions, 1h idle, 90d personal tokens, openid profile email, name/email claims, RS256/ES256', () => {
    expect(AUTH_DEFAULTS).toEqual({
      sessionLifetimeSeconds: 43200,
      idleTimeoutSeconds: 3600,
      personalTokenMaxLifetimeSeconds: 7776000,
      scopes: ['openid', 'profile', 'email'],
      nameClaim: 'name',
      emailClaim: 'email',
      algorithms: ['RS256', 'ES256'],
    });
  });
});

describe('devUserRefusal', () => {
  it('refuses a target with auth, naming it and where it is declared; accepts one without', () => {
    expect(devUserRefusal(oidcTarget())?.message).toMatch(/^--dev-user cannot be used with target 'prod': it has sign-in configured \(targets\.prod\.auth at project\.yml:5:5\)/);
    expect(devUserRefusal({ name: 'dev', type: 'duckdb', path: 'x.duckdb' })).toBeUndefined();
  });
});

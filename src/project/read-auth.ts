import { normalize } from 'node:path';
import { isMap, isScalar } from 'yaml';
import type { ParamsOf } from '../diagnostics/codes.js';
import type { Reporter } from '../diagnostics/reporter.js';
import type { AuthConfig, ClaimsMapping, OidcSignIn, ProxySignIn, SourceLocation } from '../ir/types.js';
import type { LoadScope } from '../resolve/scope.js';
import { AUTH_DEFAULTS, DURATION_FORMAT, algorithmProblem, authUrlProblem, isHeaderName, isInsideProject, parseDuration } from '../schema/auth-settings.js';
import { hasEnvRef } from '../schema/env-ref.js';
import type { AuthEntry } from '../schema/project-file.js';
import { checkName } from './check-name.js';
import { checkRole } from './read-workflow.js';
import { keyLoc, nodeLoc, pathLoc, resolvePath, type YamlDoc, type YamlPath } from './yaml-file.js';

/**
 * `targets.<t>.auth` into the IR, with every check that needs no network: exactly one sign-in mode,
 * URLs (https unless loopback; the redirect URL's path `/auth/callback`), signing algorithms,
 * durations, mapped roles declared under `roles:`, attributes declared by some role. A setting
 * holding `{{ env('X') }}` is checked when the server starts (src/auth/auth-config.ts). Roles must
 * be read into `scope` first.
 */
export function readAuth(yd: YamlDoc, target: string, entry: AuthEntry, scope: LoadScope, report: Reporter): AuthConfig | undefined {
  const base = ['targets', target, 'auth'];
  let ok = true;
  const fail = (params: ParamsOf<'invalid-auth'>, loc: SourceLocation) => {
    report.error('invalid-auth', params, loc);
    ok = false;
  };
  const url = (path: YamlPath, setting: string, text: string, mustHavePath?: string) => {
    if (hasEnvRef(text)) return;
    const detail = authUrlProblem(text, mustHavePath);
    if (detail) fail({ problem: 'setting', setting, detail }, pathLoc(yd, path));
  };
  const duration = (path: YamlPath, setting: string, given: string | number | undefined, fallback: number): number => {
    if (given === undefined) return fallback;
    const seconds = parseDuration(String(given));
    if (seconds === undefined) fail({ problem: 'duration', setting, found: String(given), format: DURATION_FORMAT }, pathLoc(yd, path));
    return seconds ?? fallback;
  };

  let sso: OidcSignIn | ProxySignIn | undefined;
  if ((entry.oidc === undefined) === (entry.proxy === undefined)) {
    fail({ problem: 'sign-in-mode', target, found: entry.oidc ? 'both' : 'neither' }, keyLoc(yd, entry.oidc ? [...base, 'proxy'] : base));
  } else if (entry.oidc) {
    const o = entry.oidc;
    const p = [...base, 'oidc'];
    url([...p, 'issuer'], `targets.${target}.auth.oidc.issuer`, o.issuer);
    url([...p, 'redirect_url'], `targets.${target}.auth.oidc.redirect_url`, o.redirect_url, '/auth/callback');
    const scopes = o.scopes ?? [...AUTH_DEFAULTS.scopes];
    if (!scopes.includes('openid')) fail({ problem: 'scopes', setting: `targets.${target}.auth.oidc.scopes` }, pathLoc(yd, [...p, 'scopes']));
    sso = {
      kind: 'oidc',
      issuer: o.issuer,
      clientId: o.client_id,
      ...(o.client_secret !== undefined ? { clientSecret: o.client_secret } : {}),
      redirectUrl: o.redirect_url,
      scopes: [...new Set(scopes)],
      loc: keyLoc(yd, p),
    };
  } else if (entry.proxy) {
    const x = entry.proxy;
    const p = [...base, 'proxy'];
    if (!hasEnvRef(x.header) && !isHeaderName(x.header))
      fail({ problem: 'header', setting: `targets.${target}.auth.proxy.header`, found: x.header }, pathLoc(yd, [...p, 'header']));
    // a proxy's issuer is only compared with the assertion's `iss` (Pomerium's is a host name), never fetched
    if (!hasEnvRef(x.issuer) && x.issuer.includes('#'))
      fail({ problem: 'setting', setting: `targets.${target}.auth.proxy.issuer`, detail: 'must not contain `#` (it separates the issuer from the subject in user ids)' }, pathLoc(yd, [...p, 'issuer']));
    let jwks: ProxySignIn['jwks'] | undefined;
    if ((x.jwks_url === undefined) === (x.jwks_file === undefined)) {
      fail({ problem: 'jwks', target, found: x.jwks_url ? 'both' : 'neither' }, keyLoc(yd, x.jwks_url ? [...p, 'jwks_file'] : p));
    } else if (x.jwks_url !== undefined) {
      url([...p, 'jwks_url'], `targets.${target}.auth.proxy.jwks_url`, x.jwks_url);
      jwks = { url: x.jwks_url };
    } else if (x.jwks_file !== undefined) {
      const file = hasEnvRef(x.jwks_file) ? x.jwks_file : normalize(x.jwks_file);
      if (!hasEnvRef(x.jwks_file) && !isInsideProject(x.jwks_file))
        fail({ problem: 'jwks-file', setting: `targets.${target}.auth.proxy.jwks_file`, found: x.jwks_file }, pathLoc(yd, [...p, 'jwks_file']));
      jwks = { file };
    }
    const algorithms = x.algorithms ?? [...AUTH_DEFAULTS.algorithms];
    x.algorithms?.forEach((alg, i) => {
      const detail = algorithmProblem(alg);
      if (detail) fail({ problem: 'setting', setting: `targets.${target}.auth.proxy.algorithms`, detail }, pathLoc(yd, [...p, 'algorithms', i]));
    });
    if (jwks)
      sso = {
        kind: 'proxy',
        header: x.header.toLowerCase(),
        issuer: x.issuer,
        audience: typeof x.audience === 'string' ? [x.audience] : [...new Set(x.audience)],
        jwks,
        algorithms: [...new Set(algorithms)],
        loc: keyLoc(yd, p),
      };
  }

  const claims = readClaims(yd, target, entry.claims, scope, report);
  if (!claims) ok = false;
  const s = entry.session;
  const lifetimeSeconds = duration([...base, 'session', 'lifetime'], `targets.${target}.auth.session.lifetime`, s?.lifetime, AUTH_DEFAULTS.sessionLifetimeSeconds);
  const idleTimeoutSeconds = duration([...base, 'session', 'idle_timeout'], `targets.${target}.auth.session.idle_timeout`, s?.idle_timeout, AUTH_DEFAULTS.idleTimeoutSeconds);
  const maxLifetimeSeconds = duration(
    [...base, 'personal_tokens', 'max_lifetime'],
    `targets.${target}.auth.personal_tokens.max_lifetime`,
    entry.personal_tokens?.max_lifetime,
    AUTH_DEFAULTS.personalTokenMaxLifetimeSeconds,
  );
  // personal tokens are offered in whole days
  if (maxLifetimeSeconds < 86_400)
    fail(
      { problem: 'setting', setting: `targets.${target}.auth.personal_tokens.max_lifetime`, detail: 'must be at least one day (1d): personal tokens live whole days' },
      pathLoc(yd, [...base, 'personal_tokens', 'max_lifetime']),
    );
  if (!ok || !sso || !claims) return undefined;
  return { sso, claims, session: { lifetimeSeconds, idleTimeoutSeconds }, personalTokens: { maxLifetimeSeconds }, loc: keyLoc(yd, base) };
}

/** `auth.claims`: the role map in YAML order (read from the document: object keys would reorder numeric ones). */
function readClaims(yd: YamlDoc, target: string, entry: AuthEntry['claims'], scope: LoadScope, report: Reporter): ClaimsMapping | undefined {
  const base = ['targets', target, 'auth', 'claims'];
  let ok = true;
  let map: { value: string; role: string }[] | undefined;
  if (entry.role.map !== undefined) {
    map = [];
    const node = resolvePath(yd, [...base, 'role', 'map']).node;
    const pairs = isMap(node) ? node.items : [];
    for (const pair of pairs) {
      if (!isScalar(pair.key) || !isScalar(pair.value)) continue;
      const value = String(pair.key.value);
      const role = String(pair.value.value);
      if (value === '') {
        report.error('invalid-auth', { problem: 'setting', setting: `targets.${target}.auth.claims.role.map`, detail: 'a claim value must not be empty' }, nodeLoc(yd, pair.key));
        ok = false;
        continue;
      }
      if (!checkRole(yd, [...base, 'role', 'map', value], role, scope, report)) ok = false;
      map.push({ value, role });
    }
  }
  const attributes: Record<string, string> = {};
  const declared = [...new Set(Object.values(scope.roles).flatMap((r) => r.attributes))];
  for (const [attribute, claim] of Object.entries(entry.attributes ?? {})) {
    checkName(report, yd, [...base, 'attributes', attribute], attribute, 'user attribute');
    if (!declared.includes(attribute) && scope.broken.roles.size === 0) {
      report.error('invalid-auth', { problem: 'attribute', target, attribute, attributes: declared }, keyLoc(yd, [...base, 'attributes', attribute]));
      ok = false;
      continue;
    }
    attributes[attribute] = claim;
  }
  if (!ok) return undefined;
  return {
    name: entry.name ?? AUTH_DEFAULTS.nameClaim,
    email: entry.email ?? AUTH_DEFAULTS.emailClaim,
    role: { claim: entry.role.claim, ...(map ? { map } : {}) },
    attributes,
    loc: keyLoc(yd, base),
  };
}

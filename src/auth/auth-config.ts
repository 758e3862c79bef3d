import { unsetVariable } from '../adapters/target-settings.js';
import { UsageError } from '../adapters/usage-error.js';
import type { AuthConfig, OidcSignIn, ProxySignIn, TargetConfig } from '../ir/types.js';
import { authUrlProblem, isHeaderName, isInsideProject } from '../schema/auth-settings.js';
import { expandEnvRefs } from '../schema/env-ref.js';

export { AUTH_DEFAULTS, DURATION_FORMAT, parseDuration } from '../schema/auth-settings.js';

/**
 * A target's sign-in settings as the server uses them: every `{{ env('X') }}` replaced by the
 * variable's value, and the URLs checked again once their value is known. Undefined when the
 * target has no `auth:` (API tokens only). A variable that is unset (or empty) is a UsageError
 * naming the setting (`auth.oidc.client_secret`), the target and the variable.
 */
export function resolveAuth(target: TargetConfig, env: NodeJS.ProcessEnv = process.env): AuthConfig | undefined {
  const auth = target.auth;
  if (!auth) return undefined;
  const text = (setting: string, value: string) => expandEnvRefs(value, env, (variable) => unsetVariable(target.name, setting, variable));
  const url = (setting: string, value: string, path?: string) => {
    const resolved = text(setting, value);
    const problem = authUrlProblem(resolved, path);
    if (problem) throw new UsageError(`target '${target.name}': setting '${setting}': ${problem}`);
    return resolved;
  };
  const checked = (setting: string, value: string, ok: (text: string) => boolean, what: string) => {
    const resolved = text(setting, value);
    if (!ok(resolved)) throw new UsageError(`target '${target.name}': setting '${setting}' must be ${what}, found '${resolved}'`);
    return resolved;
  };
  const sso: OidcSignIn | ProxySignIn =
    auth.sso.kind === 'oidc'
      ? {
          ...auth.sso,
          issuer: url('auth.oidc.issuer', auth.sso.issuer),
          clientId: text('auth.oidc.client_id', auth.sso.clientId),
          ...(auth.sso.clientSecret !== undefined ? { clientSecret: text('auth.oidc.client_secret', auth.sso.clientSecret) } : {}),
          redirectUrl: url('auth.oidc.redirect_url', auth.sso.redirectUrl, '/auth/callback'),
          scopes: auth.sso.scopes.map((s, i) => text(`auth.oidc.scopes[${i}]`, s)),
        }
      : {
          ...auth.sso,
          header: checked('auth.proxy.header', auth.sso.header, isHeaderName, 'an HTTP header name').toLowerCase(),
          issuer: checked('auth.proxy.issuer', auth.sso.issuer, (t) => t !== '' && !t.includes('#'), 'the `iss` of the assertions, without `#`'),
          audience: auth.sso.audience.map((a, i, all) => text(all.length > 1 ? `auth.proxy.audience[${i}]` : 'auth.proxy.audience', a)),
          jwks:
            'url' in auth.sso.jwks
              ? { url: url('auth.proxy.jwks_url', auth.sso.jwks.url) }
              : { file: checked('auth.proxy.jwks_file', auth.sso.jwks.file, isInsideProject, 'a relative path inside the project directory') },
        };
  return { ...auth, sso };
}

/**
 * `--dev-user` signs every request in without a credential: never together with sign-in. The
 * error for serving `target` with a dev user, or undefined when the target has no `auth:`.
 */
export function devUserRefusal(target: TargetConfig): UsageError | undefined {
  if (!target.auth) return undefined;
  const at = `${target.auth.loc.file}:${target.auth.loc.line}:${target.auth.loc.col}`;
  return new UsageError(
    `--dev-user cannot be used with target '${target.name}': it has sign-in configured (targets.${target.name}.auth at ${at}), ` +
      `and --dev-user would let anyone in without signing in. Sign in through the identity provider, or serve a target without auth: (--target <name>) for local development`,
  );
}

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AuthConfig } from '../../src/ir/types.js';
import { type LocalAccount, type LocalIdentityProvider, startIdentityProvider } from '../../scripts/identity-provider.js';

/** A test user of the provider: the claims it releases (login = the account id; any password). */
export type TestAccount = LocalAccount;

/**
 * The provider's users: a planner in EMEA, a finance user, a user whose groups give no role, a
 * planner the directory gives no region, and one whose name and groups are markup.
 */
export const TEST_ACCOUNTS: Readonly<Record<'ana' | 'fin' | 'mallory' | 'nora' | 'eve', TestAccount>> = {
  ana: { sub: 'ana', name: 'Ana Lopez', email: 'ana@acme.test', groups: ['planners', 'staff'], region: 'EMEA' },
  fin: { sub: 'fin', name: 'Finn Berg', email: 'fin@acme.test', groups: ['planning-admins'] },
  mallory: { sub: 'mallory', name: 'Mallory Stone', email: 'mallory@acme.test', groups: ['marketing'] },
  nora: { sub: 'nora', name: 'Nora Quist', email: 'nora@acme.test', groups: ['planners'] },
  eve: { sub: 'eve', name: '<img src=x onerror=alert(1)>', email: 'eve@acme.test', groups: ['<script>alert(2)</script>'] },
};

export const TEST_CLIENT = { id: 'writeback', secret: 'writeback-test-secret' };

/** A running OpenID provider. */
export type TestOidcProvider = LocalIdentityProvider;

/** A free port on 127.0.0.1 (for a server whose own URL must be configured before it listens). */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((r) => probe.close(() => r()));
  return port;
}

/**
 * The local provider (scripts/identity-provider.ts) with the test accounts and one confidential
 * client `writeback` allowed to return to `redirectUris` and to sign out to `postLogoutRedirectUris`.
 */
export function startOidcProvider(options: { redirectUris: string[]; postLogoutRedirectUris: string[] }): Promise<TestOidcProvider> {
  return startIdentityProvider({ accounts: { ...TEST_ACCOUNTS }, client: { id: TEST_CLIENT.id, secret: TEST_CLIENT.secret, ...options } });
}

const loc = { file: 'project.yml', line: 1, col: 1 };

/**
 * The resolved `auth:` of a target signing in with the test provider: role from `groups`
 * (planning-admins → finance, planners → planner), `region` from the claim of that name.
 */
export function testAuthConfig(issuer: string, serverUrl: string, session: Partial<AuthConfig['session']> = {}): AuthConfig {
  return {
    sso: { kind: 'oidc', issuer, clientId: TEST_CLIENT.id, clientSecret: TEST_CLIENT.secret, redirectUrl: `${serverUrl}/auth/callback`, scopes: ['openid', 'profile', 'email', 'groups'], loc },
    claims: {
      name: 'name',
      email: 'email',
      role: { claim: 'groups', map: [{ value: 'planning-admins', role: 'finance' }, { value: 'planners', role: 'planner' }] },
      attributes: { region: 'region' },
      loc,
    },
    session: { lifetimeSeconds: 3600, idleTimeoutSeconds: 1800, ...session },
    personalTokens: { maxLifetimeSeconds: 90 * 86400 },
    loc,
  };
}

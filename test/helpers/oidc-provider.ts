import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type ProviderContext } from 'oidc-provider';
import type { AuthConfig } from '../../src/ir/types.js';

/** A test user of the provider: the claims it releases (login = the account id; any password). */
export interface TestAccount {
  sub: string;
  name: string;
  email: string;
  groups: string[];
  region?: string;
}

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
export interface TestOidcProvider {
  issuer: string;
  close(): Promise<void>;
}

/** A free port on 127.0.0.1 (for a server whose own URL must be configured before it listens). */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((r) => probe.close(() => r()));
  return port;
}

/**
 * oidc-provider (a certified OpenID Connect provider) in this process on 127.0.0.1, with its
 * built-in login form (devInteractions: any password), one confidential client `writeback`
 * allowed to return to `redirectUris` and to sign out to `postLogoutRedirectUris`, PKCE required,
 * consent granted without asking.
 */
export async function startOidcProvider(options: { redirectUris: string[]; postLogoutRedirectUris: string[] }): Promise<TestOidcProvider> {
  let handler: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
  const server: Server = createServer((req, res) => (handler ? handler(req, res) : res.writeHead(503).end()));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const accounts: Record<string, TestAccount> = { ...TEST_ACCOUNTS };
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: TEST_CLIENT.id,
        client_secret: TEST_CLIENT.secret,
        redirect_uris: options.redirectUris,
        post_logout_redirect_uris: options.postLogoutRedirectUris,
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    async findAccount(_ctx: unknown, id: string) {
      const account = Object.hasOwn(accounts, id) ? accounts[id] : undefined;
      if (!account) return undefined;
      return { accountId: id, claims: async () => ({ ...account }) };
    },
    claims: { openid: ['sub'], profile: ['name', 'region'], email: ['email'], groups: ['groups'] },
    scopes: ['openid', 'profile', 'email', 'groups'],
    features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
    pkce: { required: () => true },
    cookies: { keys: ['writeback-test-cookie-key'] },
    ttl: { Session: 3600, Interaction: 600, Grant: 3600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
    async loadExistingGrant(ctx: ProviderContext) {
      const clientId = ctx.oidc.client?.clientId;
      const accountId = ctx.oidc.session?.accountId;
      if (!clientId || !accountId) return undefined;
      const grant = new provider.Grant({ clientId, accountId });
      grant.addOIDCScope('openid profile email groups');
      await grant.save();
      return grant;
    },
  });
  handler = provider.callback();
  return {
    issuer,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
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

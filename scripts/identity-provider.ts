import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type ProviderContext } from 'oidc-provider';

/** A person of the local provider: the claims it releases (sign in with the account id, any password). */
export interface LocalAccount {
  sub: string;
  name: string;
  email: string;
  groups: string[];
  region?: string;
}

/** The one client the provider knows: a confidential client with a secret, or a public one (PKCE only). */
export interface LocalClient {
  id: string;
  secret?: string;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
}

/** A running local OpenID provider. */
export interface LocalIdentityProvider {
  issuer: string;
  close(): Promise<void>;
}

/**
 * oidc-provider (a certified OpenID Connect provider) in this process on 127.0.0.1 — for the tests
 * and `npm run start:sso`, never for production: its built-in login form accepts any password
 * (devInteractions), its signing and cookie keys are development keys. PKCE is required, consent
 * is granted without asking, RP-initiated logout is on, and `groups` is a scope.
 */
export async function startIdentityProvider(options: { port?: number; accounts: Record<string, LocalAccount>; client: LocalClient }): Promise<LocalIdentityProvider> {
  let handler: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
  const server: Server = createServer((req, res) => (handler ? handler(req, res) : res.writeHead(503).end()));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { accounts, client } = options;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: client.id,
        ...(client.secret !== undefined ? { client_secret: client.secret } : {}),
        redirect_uris: client.redirectUris,
        post_logout_redirect_uris: client.postLogoutRedirectUris,
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: client.secret !== undefined ? 'client_secret_basic' : 'none',
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
    cookies: { keys: ['writeback-local-provider-cookie-key'] },
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

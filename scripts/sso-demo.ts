// `npm run start:sso`: the demo with single sign-on. A local OpenID provider on 127.0.0.1:4590 (the
// demo's people; any password) and `writeback serve --target sso` on 127.0.0.1:4580, whose
// project.yml target signs people in through it. Development only: the provider's keys are
// development keys and its login form accepts any password.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type LocalAccount, startIdentityProvider } from './identity-provider.js';

const SERVER = 'http://127.0.0.1:4580';
const PROVIDER_PORT = 4590;

/** The demo's people, in the groups project.yml's `sso` target maps to roles. */
const PEOPLE: Record<string, LocalAccount & { says: string }> = {
  ana: { sub: 'ana', name: 'Ana Lopez', email: 'ana@example.com', groups: ['sales-planners'], region: 'EMEA', says: 'planner, EMEA: plans the EMEA accounts' },
  ben: { sub: 'ben', name: 'Ben Okafor', email: 'ben@example.com', groups: ['sales-planners'], region: 'AMER', says: 'planner, AMER' },
  fin: { sub: 'fin', name: 'Finn Berg', email: 'fin@example.com', groups: ['fpa-team'], says: 'finance: every region, approves' },
  vic: { sub: 'vic', name: 'Vic Hale', email: 'vic@example.com', groups: ['sales-leads'], says: 'viewer: reads only' },
  mallory: { sub: 'mallory', name: 'Mallory Stone', email: 'mallory@example.com', groups: ['marketing'], says: 'no role: sees the page that says why' },
};

const provider = await startIdentityProvider({
  port: PROVIDER_PORT,
  accounts: Object.fromEntries(Object.entries(PEOPLE).map(([id, { says: _says, ...account }]) => [id, account])),
  client: { id: 'writeback-demo', redirectUris: [`${SERVER}/auth/callback`], postLogoutRedirectUris: [`${SERVER}/`] },
});
process.stdout.write(
  `\nA local identity provider runs at ${provider.issuer} (development only). Open ${SERVER} and sign in as\n` +
    Object.entries(PEOPLE).map(([id, p]) => `  ${id.padEnd(8)} ${p.says}\n`).join('') +
    'with any password.\n\n',
);

const cli = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
const server = spawn(process.execPath, ['--import', 'tsx', cli, 'serve', '--target', 'sso', '--port', '4580'], { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => server.kill(signal));
server.on('exit', (code, signal) => {
  void provider.close().then(() => process.exit(code ?? (signal ? 1 : 0)));
});
